using System.Diagnostics;

namespace StarSync.Emulators.Tests;

/// <summary>Runs the real git CLI for tests, isolated from the machine's global config and never prompting.</summary>
internal sealed class TestGit : IDisposable
{
    public TestGit()
    {
        Root = Path.Combine(Path.GetTempPath(), "emulator-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static string BearerHeader(string token) => "http.extraHeader=Authorization: Bearer " + token;

    public string NewDirectory(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task<GitResult> RunAsync(string? workingDirectory, params string[] arguments)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_ASKPASS"] = "/bin/false";
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("user.name=Test");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("user.email=test@example.com");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("init.defaultBranch=main");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new GitResult(process.ExitCode, await output, await error);
    }

    public async Task<string> RunCheckedAsync(string? workingDirectory, params string[] arguments)
    {
        var result = await RunAsync(workingDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {result.Error}");
        return result.Output;
    }

    /// <summary>Creates a working repository with one commit per branch name (the first branch is checked out first).</summary>
    public async Task<string> CreateWorkRepositoryAsync(string name, params string[] branches)
    {
        var work = NewDirectory(name);
        await RunCheckedAsync(work, "init", "--quiet", "--initial-branch=" + branches[0]);
        foreach (var branch in branches)
        {
            await RunCheckedAsync(work, "checkout", "--quiet", "-B", branch);
            await File.WriteAllTextAsync(Path.Combine(work, branch + ".txt"), branch, TestContext.Current.CancellationToken);
            await RunCheckedAsync(work, "add", ".");
            await RunCheckedAsync(work, "commit", "--quiet", "-m", "commit on " + branch);
        }

        return work;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
