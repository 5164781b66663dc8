using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>deploy/run-local.sh: its settings check, run for real in a copy of the script so nothing is started.</summary>
public sealed class RunLocalScriptTests : IDisposable
{
    private static readonly string[] RequiredSettings = ["ONEDEV_URL", "ONEDEV_TOKEN", "WEBHOOK_SECRET"];

    private readonly string _repository = Path.Combine(Path.GetTempPath(), "starsync-deploy-tests-" + Guid.NewGuid().ToString("N"));

    public RunLocalScriptTests()
    {
        // A copy in an otherwise empty "repository": no .env of the developer's is read, and nothing can be built.
        Directory.CreateDirectory(Path.Combine(_repository, "deploy"));
        File.Copy(RepositoryRoot.File("deploy/run-local.sh"), Path.Combine(_repository, "deploy", "run-local.sh"));
    }

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    [Fact]
    public void Script_IsStrictBash()
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        Assert.StartsWith("#!/usr/bin/env bash", script, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^set -euo pipefail$", script);
        Assert.Matches(@"(?m)^trap cleanup EXIT$", script);
        Assert.Matches(@"(?m)^trap on_signal INT TERM", script);
    }

    [Fact]
    public void Script_RequiresTheSettingsComposeRequires()
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        var names = Regex.Match(script, @"(?m)^REQUIRED_SETTINGS=\(([^)]*)\)").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(RequiredSettings, names);
        var compose = ComposeFile.Load().AllInterpolations.ToList();
        Assert.All(names, n => Assert.Contains(compose, i => i.Variable == n && i.Operator == ":?"));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task EmptyEnvironment_NamesEverySettingAndExits1BeforeStartingAnything()
    {
        var result = await RunAsync(new Dictionary<string, string>());

        Assert.Equal(1, result.ExitCode);
        foreach (var setting in RequiredSettings)
        {
            Assert.Matches($"(?m)^run-local: missing setting {setting}: \\S", result.Error);
        }
        Assert.Equal(RequiredSettings.Length, Regex.Matches(result.Error, "missing setting").Count);
        Assert.False(Directory.Exists(Path.Combine(_repository, ".local")), "the script created .local before failing");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task SettingsFromEnvironmentAndDotEnv_NameOnlyTheOneStillMissing()
    {
        await File.WriteAllTextAsync(Path.Combine(_repository, ".env"),
            "# comment\nexport ONEDEV_URL=\"https://onedev.example.com/\"\nONEDEV_TOKEN=   # empty\n", TestContext.Current.CancellationToken);

        var result = await RunAsync(new Dictionary<string, string> { ["WEBHOOK_SECRET"] = "from-the-environment" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing setting ONEDEV_TOKEN:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ONEDEV_URL:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("WEBHOOK_SECRET:", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_repository, ".local")));
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _repository,
        };
        startInfo.ArgumentList.Add(Path.Combine(_repository, "deploy", "run-local.sh"));
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        startInfo.Environment["HOME"] = _repository;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        using var process = Process.Start(startInfo)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
