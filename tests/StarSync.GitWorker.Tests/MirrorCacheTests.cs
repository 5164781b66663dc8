using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task ManyRepositories_LeaveNoSemaphoreBehind()
    {
        using var root = new TempDirectory("cache-gates");
        var cache = Cache(new GitWorkerOptions { CacheDirectory = root.Path });

        for (var id = 1; id <= 500; id++)
        {
            using var lease = await cache.AcquireAsync(id, Ct);
            Assert.Equal(1, cache.TrackedRepositories);
        }
        // A waiter that gives up counts itself out too.
        var held = await cache.AcquireAsync(9001, Ct);
        using (var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var waiting = cache.AcquireAsync(9001, giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        Assert.Equal(1, cache.TrackedRepositories);
        held.Dispose();

        Assert.Equal(0, cache.TrackedRepositories);
    }

    [Fact]
    public async Task ConcurrentJobsOnOneRepository_StayExclusive_WhileItsSemaphoreComesAndGoes()
    {
        using var root = new TempDirectory("cache-exclusive");
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var cache = new MirrorCache(Options.Create(new GitWorkerOptions { CacheDirectory = root.Path }), loggers.CreateLogger<MirrorCache>());
        var inside = 0;
        var most = 0;
        var entries = 0;

        async Task UseAsync()
        {
            for (var i = 0; i < 50; i++)
            {
                using var lease = await cache.AcquireAsync(77, Ct);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                // Give the others a chance to run while the lease is held.
                await Task.Yield();
                Interlocked.Increment(ref entries);
                Interlocked.Decrement(ref inside);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(UseAsync, Ct)));

        Assert.Equal(400, entries);
        Assert.Equal(1, most);
        Assert.Equal(0, cache.TrackedRepositories);
        // Jobs of one process queue on the semaphore; none ever found the file lock taken by its own sibling.
        Assert.DoesNotContain(logs.Lines, l => l.Contains("[3015]", StringComparison.Ordinal));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private static MirrorCache Cache(GitWorkerOptions options) => new(Options.Create(options), NullLogger<MirrorCache>.Instance);
}
