using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.Options;

using StarSync.ServiceDefaults;

namespace StarSync.GitWorker.Git;

/// <summary>
/// Runs the git program: arguments through <see cref="ProcessStartInfo.ArgumentList"/>, an isolated environment
/// (no system or global config, no prompts, no askpass, C locale), credentials only as URL-scoped
/// <c>http.&lt;origin&gt;.extraHeader</c> entries in <c>GIT_CONFIG_*</c> variables, started so that it dies with the
/// worker (<see cref="GitProcessStarter"/>), the whole process tree killed on cancellation or when the command
/// outlives its bound (<see cref="GitCommandKind"/>), and both output streams held in bounded memory
/// (<see cref="GitOutput"/>) and redacted before anyone sees them.
/// </summary>
internal sealed class GitCli(IOptions<GitWorkerOptions> options, ILogger<GitCli> logger, GitWorkerMetrics? metrics = null)
{
    /// <summary>Non-secret settings every command gets.</summary>
    private static readonly (string Key, string Value)[] BaseConfig =
    [
        // An empty value resets the helper list: nothing may look up or store credentials.
        ("credential.helper", ""),
        ("core.askPass", ""),
        ("init.defaultBranch", "main"),
        ("gc.auto", "0"),
        ("advice.detachedHead", "false"),
        // A stalled transfer fails (transient) instead of waiting for the job timeout.
        ("http.lowSpeedLimit", "1000"),
        ("http.lowSpeedTime", "120"),
        // git-lfs: no lock verification against the mirror (OneDev does not need it; it would only warn).
        ("lfs.locksVerify", "false"),
        ("lfs.setLockableReadOnly", "false"),
    ];

    /// <summary>How long a command may take to end on SIGTERM before it is killed.</summary>
    private static readonly TimeSpan TermGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long the pipes of a killed command may take to close before its verdict is given without them.</summary>
    private static readonly TimeSpan KillGracePeriod = TimeSpan.FromSeconds(10);

    public async Task<GitResult> RunAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var redactor = new SecretRedactor(invocation.Credentials.SelectMany(c => c.Secrets));
        using var activity = StarSyncTelemetry.Source.StartActivity($"git {invocation.DisplayName}", ActivityKind.Client);
        // The command name only: arguments carry URLs and refs, and tokens must never reach a span.
        activity?.SetTag("git.command", invocation.DisplayName);
        activity?.SetTag("git.command.kind", invocation.Kind switch
        {
            GitCommandKind.LsRemote => "ls-remote",
            GitCommandKind.Transfer => "transfer",
            _ => "local",
        });

        var bound = Bound.For(invocation.Kind, options.Value);
        var executable = options.Value.GitExecutable;
        if (GitProcessStarter.ResolveOnPath(executable) is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "git could not be started");
            throw new GitException(new GitFailure($"{invocation.Operation} failed: git could not be started ({executable}: not found)", true));
        }
        var startInfo = GitProcessStarter.Guard(CreateStartInfo(executable, invocation));
        if (startInfo is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "git could not be started");
            throw new GitException(new GitFailure(
                $"{invocation.Operation} failed: git is not run without setpriv (util-linux) and timeout (coreutils) on PATH, " +
                "which make it die with this worker", true));
        }
        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            await GitProcessStarter.StartAsync(process);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "git could not be started");
            throw new GitException(new GitFailure(
                $"{invocation.Operation} failed: git could not be started ({executable}: {ex.Message})", true));
        }
        // git must never wait for input.
        process.StandardInput.Close();

        using var overall = new CancellationTokenSource(bound.Overall);
        using var inactive = bound.Inactivity is { } inactivity ? new CancellationTokenSource(inactivity) : null;
        using var watch = inactive is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token, inactive.Token);
        // Any output (git's progress included) proves the command is alive and restarts the inactivity bound.
        Action alive = inactive is null ? static () => { } : () => Restart(inactive, bound.Inactivity!.Value);
        // Parsed output (ref listings) is kept whole; a transfer's stdout and every stderr keep their tail only.
        var output = invocation.Kind == GitCommandKind.Transfer ? GitOutput.Tail() : GitOutput.Whole();
        var error = GitOutput.Tail();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, output, alive),
            PumpAsync(process.StandardError.BaseStream, error, alive));
        try
        {
            // Both pipes at EOF as well: a descendant still holding them is still part of the command.
            await Task.WhenAll(process.WaitForExitAsync(CancellationToken.None), pumps).WaitAsync(watch.Token);
        }
        catch (OperationCanceledException) when (watch.IsCancellationRequested)
        {
            await KillAsync(process);
            await DrainAsync(pumps);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            metrics?.GitCommand(invocation.DisplayName, cancellationToken.IsCancellationRequested ? "cancelled" : "timed_out",
                Stopwatch.GetElapsedTime(started), null);
            if (cancellationToken.IsCancellationRequested)
            {
                logger.GitCommandKilled(invocation.DisplayName, elapsedMs);
                activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
                cancellationToken.ThrowIfCancellationRequested();
            }
            var failure = overall.IsCancellationRequested
                ? GitFailure.CommandTimedOut(invocation.Operation, invocation.DisplayName, bound.Overall, bound.OverallSetting, inactive: false)
                : GitFailure.CommandTimedOut(invocation.Operation, invocation.DisplayName, bound.Inactivity!.Value, bound.InactivitySetting!, inactive: true);
            logger.GitCommandTimedOut(invocation.DisplayName, elapsedMs, failure.Reason);
            activity?.SetStatus(ActivityStatusCode.Error, "timed out");
            throw new GitException(failure);
        }
        if (output.Overflowed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "output too large");
            throw new GitException(new GitFailure(
                $"{invocation.Operation} failed: git {invocation.DisplayName} printed {output.TotalBytes} bytes, more than the " +
                $"{GitOutput.WholeLimitBytes} bytes StarSync reads from one command", Transient: false));
        }
        var result = new GitResult(process.ExitCode, redactor.Redact(output.Text()), redactor.Redact(error.Text()));
        activity?.SetTag("process.exit.code", result.ExitCode);
        var elapsed = Stopwatch.GetElapsedTime(started);
        activity?.SetTag("git.duration_ms", (long)elapsed.TotalMilliseconds);
        var transferred = invocation.Kind == GitCommandKind.Transfer ? result.TransferredBytes : null;
        if (transferred is { } bytes)
        {
            activity?.SetTag("git.transfer.bytes", bytes);
        }
        metrics?.GitCommand(invocation.DisplayName, result.Succeeded ? "ok" : "failed", elapsed, transferred);
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"exit code {result.ExitCode}");
            logger.GitCommandFailed(invocation.DisplayName, result.ExitCode, result.Error);
        }
        return result;
    }

    /// <summary>Runs the command and throws a <see cref="GitException"/> with a classified failure unless it succeeds.</summary>
    public async Task<GitResult> RunCheckedAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await RunAsync(invocation, cancellationToken);
        if (!result.Succeeded)
        {
            throw new GitException(GitFailure.Classify(invocation.Operation, result.ExitCode, result.Error));
        }
        return result;
    }

    /// <summary>The process to start; separate so tests can check arguments and environment without running git.</summary>
    internal static ProcessStartInfo CreateStartInfo(string gitExecutable, GitInvocation invocation)
    {
        var startInfo = new ProcessStartInfo(gitExecutable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (invocation.WorkingDirectory is { } directory)
        {
            startInfo.WorkingDirectory = directory;
        }
        startInfo.ArgumentList.Add(invocation.Command);
        foreach (var argument in invocation.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var environment = startInfo.Environment;
        // Nothing from the host's git setup leaks in (GIT_DIR, GIT_ASKPASS, GIT_TRACE_CURL, ...).
        foreach (var name in environment.Keys.Where(IsInheritedGitVariable).ToList())
        {
            environment.Remove(name);
        }
        if (invocation.GitDirectory is { } gitDirectory)
        {
            environment["GIT_DIR"] = gitDirectory;
        }
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        environment["LC_ALL"] = "C";
        environment["LANGUAGE"] = "C";
        // git-lfs prints progress only to terminals unless told otherwise; transfers need it (TransferInactivityTimeout).
        environment["GIT_LFS_FORCE_PROGRESS"] = "1";

        var config = BaseConfig.Concat(invocation.Credentials.Select(c => (Key: c.ConfigKey, Value: c.Header))).ToList();
        environment["GIT_CONFIG_COUNT"] = config.Count.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            environment[$"GIT_CONFIG_KEY_{n}"] = config[i].Key;
            environment[$"GIT_CONFIG_VALUE_{n}"] = config[i].Value;
        }
        return startInfo;
    }

    private static bool IsInheritedGitVariable(string name) =>
        name.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("SSH_ASKPASS", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("GCM_INTERACTIVE", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads one pipe to its end into <paramref name="into"/>, calling <paramref name="alive"/> for every chunk.</summary>
    private static async Task PumpAsync(Stream pipe, GitOutput into, Action alive)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await pipe.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            into.Append(buffer.AsSpan(0, read));
            alive();
        }
    }

    /// <summary>
    /// Waits a little for the pipes to close after a kill. Only a descendant that left the process tree can keep them
    /// open; the command's verdict does not wait for it.
    /// </summary>
    private static async Task DrainAsync(Task pumps)
    {
        try
        {
            await pumps.WaitAsync(KillGracePeriod);
        }
        catch (TimeoutException)
        {
            // Abandoned: the pipes close when that descendant goes.
        }
    }

    private static void Restart(CancellationTokenSource inactive, TimeSpan inactivity)
    {
        try
        {
            inactive.CancelAfter(inactivity);
        }
        catch (ObjectDisposedException)
        {
            // Output after the command's verdict (an abandoned pipe, see DrainAsync).
        }
    }

    /// <summary>The time bound of one command kind and the settings that configure it (named in failure reasons).</summary>
    private sealed record Bound(TimeSpan Overall, string OverallSetting, TimeSpan? Inactivity = null, string? InactivitySetting = null)
    {
        public static Bound For(GitCommandKind kind, GitWorkerOptions options) => kind switch
        {
            GitCommandKind.LsRemote => new(options.LsRemoteTimeout, $"{GitWorkerOptions.Section}:{nameof(GitWorkerOptions.LsRemoteTimeout)}"),
            GitCommandKind.Transfer => new(
                options.TransferTimeout, $"{GitWorkerOptions.Section}:{nameof(GitWorkerOptions.TransferTimeout)}",
                options.TransferInactivityTimeout, $"{GitWorkerOptions.Section}:{nameof(GitWorkerOptions.TransferInactivityTimeout)}"),
            _ => new(options.LocalCommandTimeout, $"{GitWorkerOptions.Section}:{nameof(GitWorkerOptions.LocalCommandTimeout)}"),
        };
    }

    /// <summary>
    /// Ends the command and everything it started: SIGTERM to its process group (git removes its lock files), SIGKILL
    /// to the tree and the group after <see cref="TermGracePeriod"/>.
    /// </summary>
    private static async Task KillAsync(Process process)
    {
        var group = GitProcessStarter.Guarded ? process.Id : 0;
        if (ProcessGroup.Signal(group, ProcessGroup.SigTerm))
        {
            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TermGracePeriod);
            }
            catch (TimeoutException)
            {
                // It ignores SIGTERM: killed below.
            }
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
        // Descendants that left the tree (their parent exited) are still in the group.
        ProcessGroup.Signal(group, ProcessGroup.SigKill);
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
