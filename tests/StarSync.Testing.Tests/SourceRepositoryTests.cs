using StarSync.Testing;

namespace StarSync.Testing.Tests;

[Trait("Category", "Integration")]
public sealed class SourceRepositoryTests : IDisposable
{
    private readonly TempDirectory _directory = new("git");

    [Fact]
    public async Task GetRefs_BranchesAndTags_MatchLsRemote()
    {
        var repository = await SourceRepository.CreateAsync(Path.Combine(_directory.Path, "source.git"));
        var first = await repository.CommitAsync("main", "README.md", "hello", "First");
        var second = await repository.CommitAsync("feature/x", "src/a.txt", "a", "On a new branch");
        await repository.CreateTagAsync("v1", "main");
        await repository.CreateTagAsync("v2", "feature/x", annotated: true);

        var refs = await repository.GetRefsAsync();

        Assert.Equal(await Git.LsRemoteAsync(repository.Path, ct: TestContext.Current.CancellationToken), refs);
        Assert.Equal(await Git.LsRemoteAsync(repository.FileUrl.AbsoluteUri, ct: TestContext.Current.CancellationToken), refs);
        Assert.Equal(["refs/heads/feature/x", "refs/heads/main", "refs/tags/v1", "refs/tags/v2"], refs.Keys.Order());
        Assert.Equal(first, refs["refs/heads/main"]);
        Assert.Equal(second, refs["refs/heads/feature/x"]);
        Assert.Equal(first, refs["refs/tags/v1"]);
        // An annotated tag is listed with its tag object, which points at the commit.
        Assert.NotEqual(second, refs["refs/tags/v2"]);
        Assert.Equal(second, (await Git.RunAsync(repository.Path, "rev-parse", "v2^{commit}")).Trim());
        Assert.Equal(first, (await Git.RunAsync(repository.Path, "rev-parse", "feature/x^")).Trim());
    }

    [Fact]
    public async Task Commit_OnExistingBranch_KeepsOtherFiles()
    {
        var repository = await SourceRepository.CreateAsync(Path.Combine(_directory.Path, "source.git"));
        await repository.CommitAsync("main", "a.txt", "a", "A");
        var tip = await repository.CommitAsync("main", "dir/b.txt", "b", "B");

        var files = await Git.RunAsync(repository.Path, "ls-tree", "-r", "--name-only", tip);

        Assert.Equal(["a.txt", "dir/b.txt"], files.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("b", await Git.RunAsync(repository.Path, "show", $"{tip}:dir/b.txt"));
        Assert.Equal(Git.AuthorName, (await Git.RunAsync(repository.Path, "log", "-1", "--format=%an", tip)).Trim());
    }

    [Fact]
    public async Task RewriteBranch_NewTipDoesNotDescendFromOldTip()
    {
        var repository = await SourceRepository.CreateAsync(Path.Combine(_directory.Path, "source.git"));
        await repository.CommitAsync("main", "a.txt", "a", "A");
        var oldTip = await repository.CommitAsync("main", "a.txt", "b", "B");

        var newTip = await repository.RewriteBranchAsync("main", "rewritten");

        Assert.Equal(newTip, (await repository.GetRefsAsync())["refs/heads/main"]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Git.RunAsync(repository.Path, "merge-base", "--is-ancestor", oldTip, newTip));
        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteBranch_RemovesItFromRefs()
    {
        var repository = await SourceRepository.CreateAsync(Path.Combine(_directory.Path, "source.git"), "trunk");
        await repository.CommitAsync("trunk", "a.txt", "a", "A");
        await repository.CommitAsync("gone", "b.txt", "b", "B");

        await repository.DeleteBranchAsync("gone");

        Assert.Equal(["refs/heads/trunk"], (await repository.GetRefsAsync()).Keys);
        Assert.Equal("refs/heads/trunk", (await Git.RunAsync(repository.Path, "symbolic-ref", "HEAD")).Trim());
    }

    [Fact]
    public async Task Clone_OfSourceRepository_HasSameRefs()
    {
        var repository = await SourceRepository.CreateAsync(Path.Combine(_directory.Path, "source.git"));
        await repository.CommitAsync("main", "a.txt", "a", "A");
        await repository.CreateTagAsync("v1", "main", annotated: true);
        var mirror = Path.Combine(_directory.Path, "mirror.git");

        await Git.RunAsync(_directory.Path, "clone", "--mirror", "--quiet", repository.Path, mirror);

        Assert.Equal(await repository.GetRefsAsync(), await Git.LsRemoteAsync(mirror, ct: TestContext.Current.CancellationToken));
    }

    public void Dispose() => _directory.Dispose();
}
