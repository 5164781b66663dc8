using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarSync.GitWorker.Git;

/// <summary>
/// Starts git so that it dies with this worker: a worker killed outright (SIGKILL, OOM killer) must not leave a git
/// push running that finishes on its own while a redelivered job works on the same repository.
/// <para>
/// On Linux each command runs as <c>setpriv --pdeathsig TERM -- timeout --kill-after=10s 0 git ...</c>. setpriv
/// (util-linux) asks the kernel to send SIGTERM when the worker goes; it then execs coreutils' <c>timeout</c>, which
/// keeps that request, makes itself the leader of a new process group, and runs git in it with no time limit (0).
/// On SIGTERM, timeout passes the signal to the whole group, so git's own children (<c>git remote-https</c>,
/// <c>send-pack</c>, <c>pack-objects</c>, git-lfs) die as well, not only the top git, and escalates to SIGKILL after
/// 10 seconds; SIGTERM lets git remove its lock files first. The group also lets <see cref="GitCli"/> kill every
/// descendant at once.
/// </para>
/// <para>
/// The kernel counts the parent's death as the death of the <em>thread</em> that forked the child, and .NET forks
/// from the thread that calls <see cref="Process.Start()"/>; a thread-pool thread that retires would take its
/// children with it. So every git process is started from one dedicated thread that lives as long as the worker.
/// </para>
/// </summary>
internal static class GitProcessStarter
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];

    private static readonly Thread Spawner = StartSpawner();

    private static readonly Lazy<(string SetPriv, string Timeout)?> Guards = new(() =>
        ResolveOnPath("setpriv") is { } setPriv && ResolveOnPath("timeout") is { } timeout ? (setPriv, timeout) : null);

    /// <summary>Whether commands are guarded here (Linux); elsewhere git runs directly and may outlive a killed worker.</summary>
    public static bool Guarded => OperatingSystem.IsLinux();

    /// <summary>
    /// Rewrites a start info for git into the guarded form (same environment and working directory; the arguments
    /// only gain the wrapper's, never a secret). Null when a wrapper program is missing: then git is not run at all.
    /// </summary>
    public static ProcessStartInfo? Guard(ProcessStartInfo git)
    {
        ArgumentNullException.ThrowIfNull(git);
        if (!Guarded)
        {
            return git;
        }
        if (Guards.Value is not { } guards)
        {
            return null;
        }
        var (setPriv, timeout) = guards;
        List<string> arguments = ["--pdeathsig", "TERM", "--", timeout, "--kill-after=10s", "0", git.FileName, .. git.ArgumentList];
        git.FileName = setPriv;
        git.ArgumentList.Clear();
        foreach (var argument in arguments)
        {
            git.ArgumentList.Add(argument);
        }
        return git;
    }

    /// <summary>Starts <paramref name="process"/> on the spawner thread; faults with what <see cref="Process.Start()"/> threw.</summary>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        GC.KeepAlive(Spawner);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    /// <summary>The full path of <paramref name="program"/>: itself when it contains a slash and exists, else the first match on PATH.</summary>
    public static string? ResolveOnPath(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    private static Thread StartSpawner()
    {
        var thread = new Thread(Spawn) { IsBackground = true, Name = "git spawner" };
        thread.Start();
        return thread;
    }

    private static void Spawn()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
#pragma warning disable CA1031 // Whatever Start threw belongs to the caller, who awaits it; this thread must live on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                started.SetException(ex);
            }
        }
    }
}
