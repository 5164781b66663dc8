using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using StarSync.GitWorker.Cache;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

public sealed class MirrorCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void CacheDirectory_DefaultsToCacheUnderWorkDirectory_AndIsKeyedById()
    {
        var cache = Cache(new GitWorkerOptions { WorkDirectory = "/data/work" });

        Assert.Equal("/data/work/cache", cache.Root);
        Assert.Equal("/data/work/cache/1296269.git", cache.DirectoryFor(1296269));
    }

    [Fact]
    public async Task FileLock_HeldByOneWorker_IsRefusedToAnotherUntilReleased()
    {
        using var root = new TempDirectory("cache-lock");
        var options = new GitWorkerOptions { CacheDirectory = root.Path };
        var first = Cache(options);
        var second = Cache(options);

        var lease = await first.AcquireAsync(42, Ct);
        using (var refused = second.TryLockFile(42))
        {
            Assert.Null(refused);
        }
        using (var other = second.TryLockFile(43))
        {
            Assert.NotNull(other);
        }
        lease.Dispose();

        using var granted = second.TryLockFile(42);
        Assert.NotNull(granted);
    }

    [Fact]
    public async Task InProcessLock_SecondJobOnSameRepository_WaitsForTheFirst()
    {
        using var root = new TempDirectory("cache-gate");
        var cache = Cache(new GitWorkerOptions { CacheDirectory = root.Path });

        var first = await cache.AcquireAsync(7, Ct);
        var second = cache.AcquireAsync(7, Ct);
        Assert.False(second.IsCompleted);
        first.Dispose();

        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.EndsWith("7.git", lease.Directory, StringComparison.Ordinal);
    }

    private static MirrorCache Cache(GitWorkerOptions options) => new(Options.Create(options), NullLogger<MirrorCache>.Instance);
}
