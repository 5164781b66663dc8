using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Tests;

public sealed class RefSnapshotTests
{
    private const string A = "1111111111111111111111111111111111111111";
    private const string B = "2222222222222222222222222222222222222222";
    private const string T = "3333333333333333333333333333333333333333";

    [Fact]
    public void LsRemoteOutput_KeepsOnlyBranchesAndTags()
    {
        var snapshot = RefSnapshot.Parse(
            $"{A}\tHEAD\n{A}\trefs/heads/main\n{B}\trefs/heads/feature/x\n{T}\trefs/tags/v1\n{A}\trefs/tags/v1^{{}}\n" +
            $"{B}\trefs/pull/7/head\n{B}\trefs/pulls/1/head\n");

        Assert.Equal(2, snapshot.Branches);
        Assert.Equal(1, snapshot.Tags);
        Assert.Equal(T, snapshot.Refs["refs/tags/v1"]);
        Assert.True(snapshot.HasBranch("feature/x"));
        Assert.DoesNotContain("refs/pull/7/head", snapshot.Refs.Keys);
    }

    [Fact]
    public void ForEachRefOutput_IsParsed()
    {
        var snapshot = RefSnapshot.Parse($"{A} refs/heads/main\n{T} refs/tags/v1\n");

        Assert.Equal(1, snapshot.Branches);
        Assert.Equal(1, snapshot.Tags);
    }

    [Fact]
    public void Differences_ListUpdatesAndDeletions()
    {
        var source = RefSnapshot.Parse($"{A} refs/heads/main\n{B} refs/heads/new\n");
        var mirror = RefSnapshot.Parse($"{B} refs/heads/main\n{A} refs/heads/old\n");

        Assert.Equal(["refs/heads/main", "refs/heads/new"], source.MissingOrDifferentIn(mirror));
        Assert.Equal(["refs/heads/old"], source.ExtraIn(mirror));
        Assert.False(source.SameAs(mirror));
        Assert.True(source.SameAs(RefSnapshot.Parse($"{B}\trefs/heads/new\n{A}\trefs/heads/main\n{A}\tHEAD\n")));
    }
}
