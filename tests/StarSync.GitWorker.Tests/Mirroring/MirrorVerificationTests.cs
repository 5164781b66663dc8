using StarSync.GitWorker.Git;
using StarSync.GitWorker.Mirroring;

namespace StarSync.GitWorker.Tests.Mirroring;

public sealed class MirrorVerificationTests
{
    private static readonly string A = new('a', 40);
    private static readonly string B = new('b', 40);

    [Fact]
    public void Mismatch_NamesWrongAndExtraRefs()
    {
        var source = RefSnapshot.Parse($"{A} refs/heads/main\n{A} refs/tags/v1\n");
        var mirror = RefSnapshot.Parse($"{B} refs/heads/main\n{A} refs/heads/stale\n");

        Assert.Equal(
            "verify the mirror failed: after the push OneDev's branches and tags still differ from GitHub's; " +
            "missing or different: refs/heads/main, refs/tags/v1; not in the source: refs/heads/stale",
            MirrorVerification.Mismatch(source, mirror));
    }

    [Fact]
    public void Mismatch_CountsWhatItDoesNotName()
    {
        var source = RefSnapshot.Parse(string.Join('\n', Enumerable.Range(1, 7).Select(i => $"{A} refs/tags/v{i}")));

        Assert.Equal(
            "verify the mirror failed: after the push OneDev's branches and tags still differ from GitHub's; " +
            "missing or different: refs/tags/v1, refs/tags/v2, refs/tags/v3, refs/tags/v4, refs/tags/v5 and 2 more",
            MirrorVerification.Mismatch(source, RefSnapshot.Parse("")));
    }
}
