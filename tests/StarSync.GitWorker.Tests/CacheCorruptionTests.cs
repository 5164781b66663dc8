using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;

using TestGit = StarSync.Testing.Git;

namespace StarSync.GitWorker.Tests;

/// <summary>
/// Only local evidence discards a cache: a server that reports trouble with its own repository in words that sound
/// like corruption leaves a healthy cache alone, while a damaged cache is still found (by <c>git fsck</c>) and rebuilt.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CacheCorruptionTests : IAsyncLifetime
{
    /// <summary>What a server with a damaged repository of its own might say; every phrase is one of the corruption patterns.</summary>
    private const string ServerSideDamage =
        "unable to read 4b825dc642cb6eb9a060e54bf8d69288fbee4904: packfile ./objects/pack/pack-1.pack is corrupt";

    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task GitHubFetchFailingWithCorruptionWords_KeepsTheCache_AndTheNextRunIsIncremental()
    {
        var (repository, source, command, marker) = await MirroredAsync("fetch-error");
        await source.CommitAsync("main", "next.txt", "next", "Next commit");
        var seeds = _env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository));
        _env.GitHub.FailNextFetches(1, ServerSideDamage);

        var failure = (await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.True(failure.Transient, failure.Reason);
        Assert.StartsWith("fetch from GitHub failed: ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("remote error: " + ServerSideDamage, failure.Reason, StringComparison.Ordinal);
        AssertCacheKept(marker);

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        AssertCacheKept(marker);
        // A kept cache is warm: nothing was seeded from OneDev again.
        Assert.Equal(seeds, _env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository)));
    }

    [Fact]
    public async Task OneDevPushFailingWithCorruptionWords_KeepsTheCache()
    {
        var (_, source, command, marker) = await MirroredAsync("push-error");
        await source.CommitAsync("main", "next.txt", "next", "Next commit");
        _env.OneDev.FailNextPushes(1, ServerSideDamage);

        var failure = (await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.StartsWith("push to OneDev failed: ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("remote: " + ServerSideDamage, failure.Reason, StringComparison.Ordinal);
        AssertCacheKept(marker);
        Assert.True((await Mirror().RunAsync(command, Ct)).Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        AssertCacheKept(marker);
    }

    [Fact]
    public async Task DamageOnlyAFetchNotices_IsConfirmedByFsck_AndTheCacheIsRebuilt()
    {
        var (repository, source, command, marker) = await MirroredAsync("damaged-object");
        // Break the tree of the cached tip: local listings still work, the next fetch trips over it.
        var cache = _env.CacheDirectory + $"/{repository.Id}.git";
        var tree = (await TestGit.RunAsync(cache, "rev-parse", "refs/heads/main^{tree}")).Trim();
        var objectFile = Path.Combine(cache, "objects", tree[..2], tree[2..]);
        Assert.True(File.Exists(objectFile), $"the tree {tree} is not a loose object");
        File.Delete(objectFile);
        await File.WriteAllTextAsync(objectFile, "garbage", Ct);
        await source.CommitAsync("main", "next.txt", "next", "Next commit");

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        var rebuilt = Assert.Single(_env.Logs.Lines, l => l.Contains("[3014]", StringComparison.Ordinal));
        Assert.Contains("git fsck: ", rebuilt, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the damaged cache was kept");
    }

    /// <summary>A repository mirrored once (a warm cache), with a marker file inside its cache that a rebuild would remove.</summary>
    private async Task<(GitHubRepository Repository, StarSync.Testing.SourceRepository Source, MirrorRepository Command, string Marker)> MirroredAsync(string name)
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", name, Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        Assert.True((await Mirror().RunAsync(command, Ct)).Pushed);
        var marker = Path.Combine(_env.CacheDirectory, $"{repository.Id}.git", "starsync-test-marker");
        await File.WriteAllTextAsync(marker, "this cache was never rebuilt", Ct);
        return (repository, source, command, marker);
    }

    private void AssertCacheKept(string marker)
    {
        Assert.True(File.Exists(marker), "the cache was deleted and rebuilt");
        Assert.DoesNotContain(_env.Logs.Lines, l => l.Contains("[3014]", StringComparison.Ordinal));
    }

    private RepositoryMirror Mirror() => _env.BuildServices().GetRequiredService<RepositoryMirror>();
}
