using System.Globalization;

using Microsoft.Extensions.Options;

namespace StarSync.GitWorker.Cache;

/// <summary>
/// The persistent bare repositories of this worker, one <c>&lt;id&gt;.git</c> per GitHub repository id under
/// <see cref="GitWorkerOptions.ResolvedCacheDirectory"/>. A lease guards one of them twice: an in-process semaphore
/// per id (two jobs of this process) and an exclusive lock on <c>&lt;id&gt;.lock</c> (other processes sharing the
/// volume; <c>flock</c> on Unix, which .NET takes for <see cref="FileShare.None"/>). A semaphore exists only while
/// someone holds or waits for it, so the map does not grow with every repository the worker has ever mirrored.
/// </summary>
internal sealed class MirrorCache(IOptions<GitWorkerOptions> options, ILogger<MirrorCache> logger)
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Guarded by itself. An entry is removed when its last holder or waiter lets go.</summary>
    private readonly Dictionary<long, Gate> _gates = [];

    public string Root => options.Value.ResolvedCacheDirectory;

    /// <summary>Repository ids whose semaphore exists now, i.e. that someone holds or waits for (for tests).</summary>
    internal int TrackedRepositories
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>The repository directory of <paramref name="repositoryId"/> (it may not exist yet).</summary>
    public string DirectoryFor(long repositoryId) => Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture) + ".git");

    /// <summary>Waits until this process and every other one has let go of the repository, then holds it.</summary>
    public async Task<CacheLease> AcquireAsync(long repositoryId, CancellationToken cancellationToken)
    {
        var gate = Enter(repositoryId);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(repositoryId, gate);
            throw;
        }
        try
        {
            var waited = false;
            while (true)
            {
                if (TryLockFile(repositoryId) is { } file)
                {
                    return new CacheLease(DirectoryFor(repositoryId), file, () =>
                    {
                        gate.Semaphore.Release();
                        Leave(repositoryId, gate);
                    });
                }
                if (!waited)
                {
                    logger.WaitingForCacheLock(repositoryId, LockFile(repositoryId));
                    waited = true;
                }
                // Another process holds the lock; flock has no async wait, so poll.
                await Task.Delay(LockPollInterval, cancellationToken);
            }
        }
        catch
        {
            gate.Semaphore.Release();
            Leave(repositoryId, gate);
            throw;
        }
    }

    /// <summary>The cross-process lock alone: an open, exclusively locked lock file, or null when someone else holds it.</summary>
    internal FileStream? TryLockFile(long repositoryId)
    {
        Directory.CreateDirectory(Root);
        try
        {
            return new FileStream(LockFile(repositoryId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Counts the caller in on the repository's semaphore, creating it when nobody holds or waits for it.</summary>
    private Gate Enter(long repositoryId)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(repositoryId, out var gate))
            {
                gate = new Gate();
                _gates.Add(repositoryId, gate);
            }
            gate.Users++;
            return gate;
        }
    }

    /// <summary>
    /// Counts the caller out; the last one removes the semaphore. Safe because every holder and waiter is counted:
    /// at zero nobody can be inside, so the next caller may start on a fresh semaphore.
    /// </summary>
    private void Leave(long repositoryId, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(repositoryId);
            }
        }
    }

    private string LockFile(long repositoryId) => Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture) + ".lock");

    /// <summary>One repository's semaphore and how many callers hold or wait for it (guarded by the map's lock).</summary>
    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
