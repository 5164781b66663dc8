using StarSync.Contracts;

namespace StarSync.Ingress.Tests;

public sealed class MirrorIdsTests
{
    [Fact]
    public void Rfc9562Example_MatchesVersion5Algorithm()
    {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), MirrorIds.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void KnownRepository_HasPinnedMirrorId()
    {
        // Pinned (computed independently with Python uuid.uuid5): changing the namespace or the name format would orphan every existing saga.
        Assert.Equal(new Guid("5e76f883-d531-4d77-8773-04ab054558a3"), MirrorIds.Namespace);
        Assert.Equal(PinnedHelloWorldMirrorId, MirrorIds.ForGitHubRepository(186853002));
    }

    [Fact]
    public void SameRepository_GetsSameId() =>
        Assert.Equal(MirrorIds.ForGitHubRepository(42), MirrorIds.ForGitHubRepository(42));

    [Fact]
    public void DifferentRepositories_GetDifferentIds() =>
        Assert.NotEqual(MirrorIds.ForGitHubRepository(42), MirrorIds.ForGitHubRepository(43));

    [Fact]
    public void MirrorId_IsVersion5WithRfcVariant()
    {
        var text = MirrorIds.ForGitHubRepository(1).ToString();
        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    internal static readonly Guid PinnedHelloWorldMirrorId = new("34377e3a-3b1d-5e9f-84cc-33e276bb726b");
}
