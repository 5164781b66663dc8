using System.Collections.Concurrent;
using System.Globalization;

using Microsoft.Extensions.Options;

namespace StarSync.GitWorker.Cache;

/// <summary>
/// The persistent bare repositories of this worker, one <c>&lt;id&gt;.git</c> per GitHub repository id under
/// <see cref="GitWorkerOptions.ResolvedCacheDirectory"/>. A lease guards one of them twice: an in-process semaphore
/// per id (two jobs of this process) and an exclusive lock on <c>&lt;id&gt;.lock</c> (other processes sharing the
/// volume; <c>flock</c> on Unix, which .NET takes for <see cref="FileShare.None"/>).
/// </summary>
internal sealed class MirrorCache(IOptions<GitWorkerOptions> options, ILogger<MirrorCache> logger)
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _gates = new();

    public string Root => options.Value.ResolvedCacheDirectory;

    /// <summary>The repository directory of <paramref name="repositoryId"/> (it may not exist yet).</summary>
    public string DirectoryFor(long repositoryId) => Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture) + ".git");

    /// <summary>Waits until this process and every other one has let go of the repository, then holds it.</summary>
    public async Task<CacheLease> AcquireAsync(long repositoryId, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(repositoryId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var waited = false;
            while (true)
            {
                if (TryLockFile(repositoryId) is { } file)
                {
                    return new CacheLease(DirectoryFor(repositoryId), file, gate);
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
            gate.Release();
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

    private string LockFile(long repositoryId) => Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture) + ".lock");
}
