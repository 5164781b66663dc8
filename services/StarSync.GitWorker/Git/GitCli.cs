using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.Options;

using StarSync.ServiceDefaults;

namespace StarSync.GitWorker.Git;

/// <summary>
/// Runs the git program: arguments through <see cref="ProcessStartInfo.ArgumentList"/>, an isolated environment
/// (no system or global config, no prompts, no askpass, C locale), credentials only as URL-scoped
/// <c>http.&lt;origin&gt;.extraHeader</c> entries in <c>GIT_CONFIG_*</c> variables, the whole process tree killed on
/// cancellation, and both output streams redacted before anyone sees them.
/// </summary>
internal sealed class GitCli(IOptions<GitWorkerOptions> options, ILogger<GitCli> logger)
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

    public async Task<GitResult> RunAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var redactor = new SecretRedactor(invocation.Credentials.SelectMany(c => c.Secrets));
        using var activity = StarSyncTelemetry.Source.StartActivity($"git {invocation.Command}", ActivityKind.Client);
        // The command name only: arguments carry URLs and refs, and tokens must never reach a span.
        activity?.SetTag("git.command", invocation.Command);

        var startInfo = CreateStartInfo(options.Value.GitExecutable, invocation);
        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "git could not be started");
            throw new GitException(new GitFailure(
                $"{invocation.Operation} failed: git could not be started ({options.Value.GitExecutable}: {ex.Message})", true));
        }
        // git must never wait for input.
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(output, error);
            logger.GitCommandKilled(invocation.Command, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw;
        }
        var result = new GitResult(process.ExitCode, redactor.Redact(await output), redactor.Redact(await error));
        activity?.SetTag("process.exit.code", result.ExitCode);
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"exit code {result.ExitCode}");
            logger.GitCommandFailed(invocation.Command, result.ExitCode, result.Error);
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

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }
}
