using System.Diagnostics;

namespace StarSync.Emulators;

/// <summary>Runs small git plumbing commands against the emulators' bare repositories.</summary>
internal static class GitCommand
{
    public static string Run(string? workingDirectory, params string[] arguments)
    {
        var (exitCode, output, error) = TryRun(workingDirectory, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        }

        return output;
    }

    public static (int ExitCode, string Output, string Error) TryRun(string? workingDirectory, params string[] arguments)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("git did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    public static void InitBare(string directory, string initialBranch)
    {
        Run(null, "init", "--quiet", "--bare", "--initial-branch=" + initialBranch, directory);
    }

    public static IReadOnlyList<string> Branches(string bareDirectory)
    {
        var output = Run(bareDirectory, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads/");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The branch HEAD points at, or null when HEAD is detached.</summary>
    public static string? HeadBranch(string bareDirectory)
    {
        var (exitCode, output, _) = TryRun(bareDirectory, "symbolic-ref", "--quiet", "--short", "HEAD");
        return exitCode == 0 ? output.Trim() : null;
    }

    public static void SetHead(string bareDirectory, string branch)
    {
        Run(bareDirectory, "symbolic-ref", "HEAD", "refs/heads/" + branch);
    }
}
