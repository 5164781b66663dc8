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

    public static TheoryData<string> AppServices() => [.. Settings.Projects.Keys];

    [Theory]
    [MemberData(nameof(AppServices))]
    public void Script_PassesEachServiceTheSettingsComposeGivesIt(string service)
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        var branch = CaseBranch(script, service);
        var passed = PassedSettings(script, branch);
        foreach (var (setting, value) in ComposeFile.Load().Services[service].Environment)
        {
            if (setting.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && setting != "ConnectionStrings__rabbitmq")
            {
                // Built from the script's own database: exported in the service's branch.
                Assert.Matches($@"\bexport {setting}=""\$[A-Z_]+""", branch);
                continue;
            }
            if (ComposeFile.Interpolations(value) is not [var reference] || value != $"${{{reference.Variable}{reference.Operator}{reference.Argument}}}")
            {
                continue;   // a literal or composite value: the script sets its own (URLs, directories)
            }
            if (reference.Operator is ":?" or "?")
            {
                Assert.Matches($@"\b{setting}=""\${reference.Variable}""", branch);
            }
            else
            {
                Assert.True(passed.GetValueOrDefault(setting) == reference.Variable,
                    $"run-local.sh does not pass {setting} from {reference.Variable} to {service} (passes: {string.Join(' ', passed.Select(p => $"{p.Key}={p.Value}"))})");
            }
        }
        // Nothing the service does not read.
        var unknown = passed.Keys.Except(Settings.Known[service], StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"run-local.sh passes {service} settings it does not read: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Script_ReadsEveryPassedVariableFromDotEnvAndUnsetsSecrets()
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        var listed = EnvExample.Variables();
        var secrets = Array("SECRET_SETTINGS", script);
        var variables = Settings.Projects.Keys.SelectMany(s => PassedSettings(script, CaseBranch(script, s)).Values).Distinct().ToList();
        Assert.NotEmpty(variables);
        // OPTIONAL_SETTINGS (what load_dotenv reads from .env) is extended with the variables of the same arrays.
        Assert.Matches(
            @"(?m)^for pair in ""\$\{GITHUB_SETTINGS\[@\]\}"" ""\$\{INGRESS_SETTINGS\[@\]\}"" ""\$\{ORCHESTRATOR_SETTINGS\[@\]\}"" ""\$\{GITWORKER_SETTINGS\[@\]\}""; do\n  OPTIONAL_SETTINGS\+=\(""\$\{pair#\*=\}""\)",
            script);
        foreach (var variable in variables)
        {
            Assert.True(listed.Contains(variable), $".env.example lacks {variable}, which run-local.sh passes");
            if (ComposeTests.IsSecretName(variable))
            {
                Assert.Contains(variable, secrets);
            }
        }
        Assert.All((string[])["ADMIN_TOKEN", "GITHUB_TOKEN", "UNSTAR_POLICY", "SYNC_INTERVAL", "GITWORKER_LARGE_REPOSITORY_JOB_TIMEOUT"],
            v => Assert.Contains(v, variables));
        Assert.All(RequiredSettings.Where(ComposeTests.IsSecretName), v => Assert.Contains(v, secrets));
        Assert.Matches(@"(?m)^    unset ""\$\{SECRET_SETTINGS\[@\]\}""$", script);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ShortAdminToken_IsRefusedBeforeStartingAnything()
    {
        var result = await RunAsync(new Dictionary<string, string>
        {
            ["ONEDEV_URL"] = "https://onedev.example.com/", ["ONEDEV_TOKEN"] = "t", ["WEBHOOK_SECRET"] = "s", ["ADMIN_TOKEN"] = "too-short",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ADMIN_TOKEN must be at least 16 characters", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_repository, ".local")));
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

    /// <summary>The body of <c>name)</c> in the <c>case "$name" in</c> of start_service.</summary>
    private static string CaseBranch(string script, string service)
    {
        var match = Regex.Match(script, $@"(?ms)^      {service}\)\n(?<body>.*?)^        ;;");
        Assert.True(match.Success, $"run-local.sh has no case branch for {service}");
        return match.Groups["body"].Value;
    }

    /// <summary>Setting → variable of the Setting=VARIABLE arrays the branch hands to pass_settings.</summary>
    private static Dictionary<string, string> PassedSettings(string script, string branch)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var call = Regex.Match(branch, @"(?m)^\s*pass_settings (?<args>.*)$");
        Assert.True(call.Success, "the branch does not call pass_settings");
        foreach (Match array in Regex.Matches(call.Groups["args"].Value, @"""\$\{(?<name>[A-Z_]+)\[@\]\}"""))
        {
            foreach (var pair in Array(array.Groups["name"].Value, script))
            {
                var parts = pair.Split('=');
                Assert.True(parts is [var s, var v] && Regex.IsMatch(s, "^[A-Za-z]+__[A-Za-z]+$") && Regex.IsMatch(v, "^[A-Z][A-Z0-9_]*$"),
                    $"run-local.sh: '{pair}' is not Setting=VARIABLE");
                Assert.True(result.TryAdd(parts[0], parts[1]), $"run-local.sh passes {parts[0]} twice to one service");
            }
        }
        return result;
    }

    /// <summary>The words of a top-level bash array <c>NAME=(...)</c>.</summary>
    private static string[] Array(string name, string script)
    {
        var match = Regex.Match(script, $@"(?ms)^{name}=\((?<items>[^)]*)\)");
        Assert.True(match.Success, $"run-local.sh has no array {name}");
        return match.Groups["items"].Value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
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
