using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>deploy/run-local.sh: its settings check, run for real in a copy of the script so nothing is started.</summary>
public sealed class RunLocalScriptTests : IDisposable
{
    private static readonly string[] RequiredSettings = ["ONEDEV_URL", "ONEDEV_TOKEN", "WEBHOOK_SECRET"];

    private readonly RunLocalCopy _copy = new();

    public void Dispose() => _copy.Dispose();

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
        // OPTIONAL_SETTINGS (what load_dotenv reads) holds every passed variable (DotEnvKeys reads the loop that adds them).
        var dotenv = DotEnvKeys(script);
        Assert.All(variables, v => Assert.Contains(v, dotenv));
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
    public void Script_EveryVariableItReads_IsInEnvExampleAndTheReadme()
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        var inputs = ScriptInputs(script);
        var dotenv = DotEnvKeys(script);
        var listed = EnvExample.Entries();
        var rows = Readme.TableRows();
        // Guards the parsing: the ports and a passed setting are among the inputs.
        Assert.All((string[])["INGRESS_PORT", "LOCAL_RABBITMQ_DIST_PORT", "LOCAL_EPMD_PORT", "LOCAL_POSTGRES_PORT", "ONEDEV_URL", "STARS_POLL_INTERVAL"],
            v => Assert.Contains(v, inputs.Keys));
        foreach (var (variable, scriptDefault) in inputs)
        {
            // What the script reads from the environment it reads from .env too.
            Assert.True(dotenv.Contains(variable), $"run-local.sh reads {variable} but load_dotenv ignores it in .env (add it to OPTIONAL_SETTINGS)");
            Assert.True(listed.TryGetValue(variable, out var example), $".env.example lacks {variable}, which run-local.sh reads");
            var row = rows.FirstOrDefault(r => Readme.Code(r).Contains(variable));
            Assert.True(row is not null, $"README.md has no table row naming `{variable}`, which run-local.sh reads");
            if (!string.IsNullOrEmpty(scriptDefault))
            {
                Assert.True(example == scriptDefault, $".env.example shows {variable}={example}, run-local.sh's default is {scriptDefault}");
                Assert.True(Readme.Code(row).Contains(scriptDefault), $"README.md's row of {variable} does not show its default `{scriptDefault}`: {row}");
            }
        }
        // Each passed variable sits in the README row of the setting it supplies.
        foreach (var (setting, variable) in Settings.Projects.Keys.SelectMany(s => PassedSettings(script, CaseBranch(script, s))))
        {
            var name = setting.Replace("__", ":", StringComparison.Ordinal);
            Assert.True(rows.Any(r => Readme.Code(r) is var code && code.Contains(name) && code.Contains(variable)),
                $"README.md has no row with both `{name}` and `{variable}`");
        }
    }

    [Fact]
    public void Script_GivesTheUserTokenAndItsRefreshTokenToTheOrchestratorOnly()
    {
        var script = RepositoryRoot.ReadText("deploy/run-local.sh");
        var worker = PassedSettings(script, CaseBranch(script, "gitworker"));
        foreach (var (_, setting) in Settings.NeverGiven)
        {
            Assert.False(worker.ContainsKey(setting), $"run-local.sh gives the GitWorker {setting}");
        }
        Assert.DoesNotContain(worker.Values, v => Settings.UserTokenVariables.Contains(v));
        var code = string.Join('\n', CaseBranch(script, "gitworker").Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        Assert.DoesNotMatch(@"GITHUB_USER_|GITHUB_APP_CLIENT_SECRET|UserRefreshToken|UserAccessToken", code);
        var orchestrator = PassedSettings(script, CaseBranch(script, "orchestrator"));
        Assert.Equal("GITHUB_USER_REFRESH_TOKEN", orchestrator["GitHub__UserRefreshToken"]);
        Assert.Equal("STARSYNC_SECRET_KEY", orchestrator["StarSync__SecretKey"]);
        Assert.Equal("STARSYNC_SECRET_KEY", worker["StarSync__SecretKey"]);
        // The store lives in .local/, kept between runs.
        Assert.Matches(@"(?m)^\s*export GitHub__UserTokenStorePath=""\$LOCAL/[^""]+""$", CaseBranch(script, "orchestrator"));
        // The Ingress is stateless: no GitHub credential, no database.
        var ingressCode = string.Join('\n', CaseBranch(script, "ingress").Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        Assert.DoesNotMatch(@"GitHub__|GITHUB_|ConnectionStrings__postgres|SECRET_KEY", ingressCode);
    }

    [Fact]
    public void ScriptInputs_AreFoundInEveryForm()
    {
        // Guards the parser the check above relies on.
        const string script = """
            REQUIRED_SETTINGS=(A_REQUIRED)
            X_SETTINGS=(Section__One=ONE_VARIABLE
              Section__Two=TWO_VARIABLE)
            OPTIONAL_SETTINGS=(SOME_PORT)
            PORT="${SOME_PORT:-1234}"
            [[ -n "${ADMIN:-}" ]]
            internal="$LOCAL_VALUE"
            """;

        var inputs = ScriptInputs(script);

        Assert.Equal(["ADMIN", "A_REQUIRED", "ONE_VARIABLE", "SOME_PORT", "TWO_VARIABLE"], inputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1234", inputs["SOME_PORT"]);
        Assert.Equal("", inputs["ADMIN"]);
    }

    /// <summary>
    /// Every variable the script takes from its caller, with the default it gives it (null: none): the required and
    /// optional settings, the VARIABLE of each Setting=VARIABLE array, and every upper-case variable read with a
    /// default (<c>${NAME:-...}</c>). Under <c>set -u</c> an internal variable is always read plainly, so a default
    /// marks a variable that may come from outside.
    /// </summary>
    private static Dictionary<string, string?> ScriptInputs(string script)
    {
        var inputs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Array("REQUIRED_SETTINGS", script).Concat(OptionalSettings(script)))
        {
            inputs.TryAdd(name, null);
        }
        foreach (Match array in Regex.Matches(script, @"(?ms)^[A-Z_]+_SETTINGS=\((?<items>[^)]*)\)"))
        {
            foreach (var item in array.Groups["items"].Value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (item.Split('=') is [_, var variable])
                {
                    inputs.TryAdd(variable, null);
                }
            }
        }
        foreach (Match read in Regex.Matches(script, @"\$\{(?<name>[A-Z][A-Z0-9_]*):?[-=](?<default>[^}]*)\}"))
        {
            inputs[read.Groups["name"].Value] = read.Groups["default"].Value;
        }
        return inputs;
    }

    /// <summary>
    /// The keys load_dotenv takes from .env: REQUIRED_SETTINGS and OPTIONAL_SETTINGS, which the loop
    /// <c>for pair in "${X_SETTINGS[@]}" ...; do OPTIONAL_SETTINGS+=("${pair#*=}")</c> extends with the VARIABLE of each pair.
    /// </summary>
    private static HashSet<string> DotEnvKeys(string script)
    {
        var keys = Array("REQUIRED_SETTINGS", script).Concat(OptionalSettings(script)).ToHashSet(StringComparer.Ordinal);
        var loop = Regex.Match(script, @"(?m)^for pair in (?<arrays>(?:.|\\\n)*?); do\n  OPTIONAL_SETTINGS\+=\(""\$\{pair#\*=\}""\)");
        Assert.True(loop.Success, "run-local.sh no longer adds the Setting=VARIABLE arrays to OPTIONAL_SETTINGS");
        foreach (Match array in Regex.Matches(loop.Groups["arrays"].Value, @"""\$\{(?<name>[A-Z_]+)\[@\]\}"""))
        {
            keys.UnionWith(Array(array.Groups["name"].Value, script).Select(pair => pair.Split('=')[^1]));
        }
        return keys;
    }

    /// <summary>OPTIONAL_SETTINGS as written (the script adds the pair variables to it in a loop).</summary>
    private static string[] OptionalSettings(string script) =>
        Regex.Match(script, @"(?ms)^OPTIONAL_SETTINGS=\((?<items>[^)]*)\)") is { Success: true } m
            ? m.Groups["items"].Value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            : [];

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
        Assert.False(Directory.Exists(_copy.File(".local")));
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
        Assert.False(Directory.Exists(_copy.File(".local")), "the script created .local before failing");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task SettingsFromEnvironmentAndDotEnv_NameOnlyTheOneStillMissing()
    {
        await File.WriteAllTextAsync(_copy.File(".env"),
            "# comment\nexport ONEDEV_URL=\"https://onedev.example.com/\"\nONEDEV_TOKEN=   # empty\n", TestContext.Current.CancellationToken);

        var result = await RunAsync(new Dictionary<string, string> { ["WEBHOOK_SECRET"] = "from-the-environment" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing setting ONEDEV_TOKEN:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ONEDEV_URL:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("WEBHOOK_SECRET:", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_copy.File(".local")));
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

    private Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> environment) => _copy.RunAsync(environment);
}
