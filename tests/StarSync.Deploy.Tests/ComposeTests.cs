using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    public static TheoryData<string> AppServices() => [.. Settings.Projects.Keys];

    public static TheoryData<string, string, string> RequiredSecrets() => Triples(Settings.RequiredSecrets);

    public static TheoryData<string, string, string> OptionalSecrets() => Triples(Settings.OptionalSecrets);

    /// <summary>Whether a setting or variable name says it holds a secret (connection strings are checked by their password part).</summary>
    internal static bool IsSecretName(string name) =>
        !name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        && Regex.IsMatch(name, "secret|token(?!expiresat|storepath|fromowner|_from_)|passw|pass$|pwd|credential|apikey|privatekey", RegexOptions.IgnoreCase);

    private static TheoryData<string, string, string> Triples(IEnumerable<(string, string, string)> triples)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (service, setting, variable) in triples)
        {
            data.Add(service, setting, variable);
        }
        return data;
    }

    [Fact]
    public void Services_AreInfrastructurePlusTheThreeServices()
    {
        Assert.Equal(
            ["gitworker", "ingress", "jaeger", "orchestrator", "postgres", "rabbitmq"],
            Compose.Services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BuiltServices_UseDeployDockerfileWithAnExistingProject()
    {
        var built = Compose.Services.Values.Where(s => s.BuildContext is not null || s.Dockerfile is not null).ToList();
        Assert.Equal(Settings.Projects.Keys.Order(StringComparer.Ordinal), built.Select(s => s.Name).Order(StringComparer.Ordinal));
        foreach (var service in built)
        {
            Assert.Equal(".", service.BuildContext);
            Assert.Equal("deploy/Dockerfile", service.Dockerfile);
            Assert.True(File.Exists(RepositoryRoot.File(Path.Combine(service.BuildContext!, service.Dockerfile!))));
            Assert.True(service.BuildArgs.TryGetValue("SERVICE", out var project), $"{service.Name} has no SERVICE build arg");
            Assert.True(File.Exists(RepositoryRoot.File($"services/{project}/{project}.csproj")),
                $"{service.Name}: SERVICE={project} names no services/{project}/{project}.csproj");
            Assert.Equal(Settings.Projects[service.Name], project);
        }
    }

    [Fact]
    public void EveryServiceProject_HasAComposeService()
    {
        var projects = Directory.GetDirectories(RepositoryRoot.File("services")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var built = Compose.Services.Values.Select(s => s.BuildArgs.GetValueOrDefault("SERVICE")).OfType<string>().Order(StringComparer.Ordinal);
        Assert.Equal(projects, built);
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void AppService_SetsEveryRequiredSetting(string service)
    {
        var environment = Compose.Services[service].Environment;
        var missing = Settings.Required[service].Where(s => !environment.ContainsKey(s)).ToList();
        Assert.True(missing.Count == 0, $"{service} lacks {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void AppService_SetsOnlySettingsTheServiceReads(string service)
    {
        var unknown = Compose.Services[service].Environment.Keys.Except(Settings.Known[service], StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"{service} sets settings it does not read (typo?): {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(RequiredSecrets))]
    public void RequiredSecret_UsesRequiredInterpolationNamingTheVariable(string service, string setting, string variable)
    {
        Assert.True(Compose.Services[service].Environment.TryGetValue(setting, out var value), $"{service} lacks {setting}");
        var reference = ComposeFile.Interpolations(value).SingleOrDefault(i => i.Variable == variable);
        Assert.True(reference is not null, $"{service} {setting} does not use ${{{variable}...}}: {value}");
        Assert.Equal(":?", reference.Operator);
        Assert.Contains(variable, reference.Argument ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OptionalSecrets))]
    public void OptionalSecret_IsExactlyTheVariableWithAnEmptyDefault(string service, string setting, string variable)
    {
        Assert.True(Compose.Services[service].Environment.TryGetValue(setting, out var value), $"{service} lacks {setting}");
        Assert.Equal($"${{{variable}:-}}", value);
    }

    [Fact]
    public void Environment_HoldsNoLiteralSecrets()
    {
        foreach (var service in Compose.Services.Values)
        {
            foreach (var (name, value) in service.Environment)
            {
                if (IsSecretName(name))
                {
                    var literal = Regex.Replace(value, @"\$\{[^}]*\}", "");
                    Assert.True(literal.Length == 0, $"{service.Name} {name} has a literal part '{literal}'");
                    // Nor a literal hidden in a default (${VAR:-value}, ${VAR-value}) or an alternative (${VAR:+value}).
                    foreach (var reference in ComposeFile.Interpolations(value))
                    {
                        Assert.True(reference.Operator is ":?" or "?" || string.IsNullOrEmpty(reference.Argument),
                            $"{service.Name} {name} gives ${{{reference.Variable}}} the literal value '{reference.Argument}'");
                    }
                }
                if (Regex.Match(value, @"^amqps?://(?:\$\{[^}]*\}|[^:@/]*):(?<password>[^@]*)@") is { Success: true } amqp)
                {
                    Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]*\}$", amqp.Groups["password"].Value);
                }
                if (Regex.Match(value, "(?i)(^|;)\\s*password\\s*=(?<password>[^;]*)") is { Success: true } npgsql)
                {
                    Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]*\}$", npgsql.Groups["password"].Value);
                }
            }
        }
        Assert.DoesNotMatch(@"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_|guest:guest", Compose.Text);
    }

    [Fact]
    public void DependsOn_WaitsForHealthyBrokerDatabaseAndOrchestrator()
    {
        foreach (var service in Settings.Projects.Keys)
        {
            Assert.Equal("service_healthy", Compose.Services[service].DependsOn.GetValueOrDefault("rabbitmq"));
        }
        Assert.Equal("service_healthy", Compose.Services["orchestrator"].DependsOn.GetValueOrDefault("postgres"));
        // The Ingress never touches PostgreSQL (the star poller lives in the Orchestrator).
        Assert.False(Compose.Services["ingress"].DependsOn.ContainsKey("postgres"));
        // The Orchestrator's queues must exist before the Ingress publishes anything.
        Assert.Equal("service_healthy", Compose.Services["ingress"].DependsOn.GetValueOrDefault("orchestrator"));
    }

    [Fact]
    public void DependsOn_NamesServicesThatCanBecomeHealthy()
    {
        foreach (var service in Compose.Services.Values)
        {
            foreach (var (target, condition) in service.DependsOn)
            {
                Assert.True(Compose.Services.ContainsKey(target), $"{service.Name} depends on unknown {target}");
                Assert.Contains(condition, (string[])["service_started", "service_healthy", "service_completed_successfully"]);
                if (condition == "service_healthy")
                {
                    Assert.NotEmpty(Compose.Services[target].HealthcheckTest);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void AppService_HealthcheckProbesHealthOnItsOwnPort(string service)
    {
        var definition = Compose.Services[service];
        var probe = string.Join(' ', definition.HealthcheckTest);
        Assert.Contains("/health", probe, StringComparison.Ordinal);
        var port = Regex.Match(definition.Environment["ASPNETCORE_URLS"], @":(\d+)/?$").Groups[1].Value;
        Assert.Contains($"/dev/tcp/127.0.0.1/{port}", probe, StringComparison.Ordinal);
        // The aspnet image has neither curl nor wget.
        Assert.DoesNotContain("curl", probe, StringComparison.Ordinal);
        Assert.DoesNotContain("wget", probe, StringComparison.Ordinal);
    }

    [Fact]
    public void Infrastructure_HasHealthchecks()
    {
        Assert.Equal(["CMD", "rabbitmq-diagnostics", "-q", "ping"], Compose.Services["rabbitmq"].HealthcheckTest);
        Assert.Contains("pg_isready", string.Join(' ', Compose.Services["postgres"].HealthcheckTest), StringComparison.Ordinal);
    }

    [Fact]
    public void Services_RestartUnlessStopped()
    {
        Assert.All(Compose.Services.Values, s => Assert.Equal("unless-stopped", s.Restart));
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void AppService_ExportsTracesToJaegerOverOtlp(string service)
    {
        var endpoint = new Uri(Compose.Services[service].Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("jaeger", endpoint.Host);
        Assert.Equal(4317, endpoint.Port);
        Assert.Equal("true", Compose.Services["jaeger"].Environment.GetValueOrDefault("COLLECTOR_OTLP_ENABLED"));
    }

    [Fact]
    public void GitWorker_RunsReplicasWithAWorkDirectoryVolume()
    {
        var gitworker = Compose.Services["gitworker"];
        Assert.True(gitworker.Replicas >= 2, "gitworker needs deploy.replicas >= 2");
        var workDirectory = gitworker.Environment["GitWorker__WorkDirectory"];
        Assert.Contains(gitworker.Volumes, v => v.Split(':') is [var source, var target, ..]
            && Compose.NamedVolumes.Contains(source) && target == workDirectory);
    }

    [Fact]
    public void GitWorker_KeepsItsCacheOnTheNamedVolume()
    {
        var gitworker = Compose.Services["gitworker"];
        Assert.True(gitworker.Environment.TryGetValue("GitWorker__CacheDirectory", out var cache), "gitworker must set GitWorker__CacheDirectory");
        Assert.Contains(gitworker.Volumes, v => v.Split(':') is [var source, var target, ..]
            && Compose.NamedVolumes.Contains(source) && (cache == target || cache.StartsWith(target.TrimEnd('/') + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Orchestrator_GivesTheStarPollerTheGitHubToken()
    {
        var orchestrator = Compose.Services["orchestrator"].Environment;
        Assert.Equal("${GITHUB_TOKEN:-}", orchestrator.GetValueOrDefault("GitHub__Token"));
        var enabled = orchestrator.GetValueOrDefault("Stars__Enabled");
        Assert.True(enabled is null || ComposeFile.ValueWithDefaults(enabled) == "true", $"Stars__Enabled must default to true: {enabled}");
    }

    [Fact]
    public void Ingress_IsStateless_NoDatabaseNoGitHubCredentialNoVolume()
    {
        var ingress = Compose.Services["ingress"];
        Assert.DoesNotContain(ingress.Environment.Keys, k => k.StartsWith("ConnectionStrings__postgres", StringComparison.Ordinal)
            || k.StartsWith("GitHub__", StringComparison.Ordinal) || k.StartsWith("Stars__", StringComparison.Ordinal) || k == "StarSync__SecretKey");
        Assert.DoesNotContain(ingress.Environment.Values, v => ComposeFile.Interpolations(v).Any(i => i.Variable.StartsWith("POSTGRES_", StringComparison.Ordinal)));
        Assert.Empty(ingress.Volumes);
    }

    [Fact]
    public void GitWorker_NeverGetsTheUserTokenItsRefreshTokenOrTheClientSecret()
    {
        var environment = Compose.Services["gitworker"].Environment;
        foreach (var (service, setting) in Settings.NeverGiven)
        {
            Assert.False(Compose.Services[service].Environment.ContainsKey(setting), $"{service} is given {setting}, which only the Orchestrator may hold");
        }
        foreach (var (setting, value) in environment)
        {
            var references = ComposeFile.Interpolations(value).Select(i => i.Variable).ToList();
            Assert.True(!references.Intersect(Settings.UserTokenVariables).Any(), $"gitworker {setting} reads {string.Join(", ", references)}");
        }
        // The Orchestrator gets them, and the worker may borrow the access token instead.
        Assert.Equal("${GITHUB_USER_REFRESH_TOKEN:-}", Compose.Services["orchestrator"].Environment["GitHub__UserRefreshToken"]);
        Assert.Equal("false", ComposeFile.ValueWithDefaults(environment["GitHub__UserTokenFromOwner"]));
        Assert.Equal(Compose.Services["orchestrator"].Environment["StarSync__SecretKey"], environment["StarSync__SecretKey"]);
    }

    [Fact]
    public void Orchestrator_KeepsTheUserTokenStoreOnANamedVolumeTheImageLetsItWrite()
    {
        var orchestrator = Compose.Services["orchestrator"];
        Assert.True(orchestrator.Environment.TryGetValue("GitHub__UserTokenStorePath", out var store), "orchestrator must set GitHub__UserTokenStorePath");
        var directory = Path.GetDirectoryName(store)!.Replace('\\', '/');
        Assert.Contains(orchestrator.Volumes, v => v.Split(':') is [var source, var target, ..] && Compose.NamedVolumes.Contains(source) && target == directory);
        // A fresh named volume takes the owner of the image's directory: it must exist and belong to the app user.
        var dockerfile = RepositoryRoot.ReadText("deploy/Dockerfile");
        Assert.Matches($@"mkdir -p [^\n]*{Regex.Escape(directory)}", dockerfile);
        Assert.Matches($@"chown ""\$APP_UID"" [^\n]*{Regex.Escape(directory)}", dockerfile);
    }

    [Fact]
    public void ConsumerTimeout_ExceedsLongestGitWorkerJob()
    {
        var (name, jobTimeout) = LongestJobTimeout();
        var consumerTimeout = TimeSpan.FromMilliseconds(RabbitMqConfig.ConsumerTimeoutMilliseconds());
        Assert.True(consumerTimeout > jobTimeout,
            $"consumer_timeout {consumerTimeout} in deploy/rabbitmq/rabbitmq.conf must exceed {name} {jobTimeout}");
    }

    [Fact]
    public void MirrorDeadline_ExceedsLongestGitWorkerJob()
    {
        var deadline = ComposeTimeSpan("orchestrator", "Mirroring__MirrorDeadline", Settings.DefaultMirrorDeadline);
        var (name, jobTimeout) = LongestJobTimeout();
        Assert.True(deadline > jobTimeout, $"Mirroring__MirrorDeadline {deadline} must exceed {name} {jobTimeout}");
    }

    [Fact]
    public void Defaults_ParseAsTheirTypes()
    {
        // A default compose uses must be a value the service accepts at start.
        foreach (var service in Settings.Projects.Keys)
        {
            foreach (var (name, value) in Compose.Services[service].Environment)
            {
                if (ComposeFile.ValueWithDefaults(value) is not { Length: > 0 } text)
                {
                    continue;
                }
                if (Regex.IsMatch(name, "(Timeout|Deadline|Delay|Interval|Lease)$"))
                {
                    Assert.True(TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _), $"{service} {name}: '{text}' is no TimeSpan");
                }
                else if (Regex.IsMatch(name, "(Bytes|Kb|Retries|Redrives|Jobs|PageSize)$"))
                {
                    Assert.True(long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _), $"{service} {name}: '{text}' is no number");
                }
            }
        }
        Assert.Contains(ComposeFile.ValueWithDefaults(Compose.Services["orchestrator"].Environment.GetValueOrDefault("Mirroring__UnstarPolicy") ?? "Keep"),
            (string[])["Keep", "Archive", "Delete"]);
        var sync = ComposeTimeSpan("orchestrator", "Mirroring__SyncInterval", TimeSpan.FromHours(1));
        Assert.True(sync >= TimeSpan.FromMinutes(1), $"Mirroring__SyncInterval {sync} is below the 1-minute minimum");
    }

    [Fact]
    public void RabbitMq_MountsTheCheckedConfigAndPlugins()
    {
        var volumes = Compose.Services["rabbitmq"].Volumes;
        Assert.Contains(volumes, v => v.StartsWith("./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.StartsWith("./deploy/rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins", StringComparison.Ordinal));
    }

    [Fact]
    public void Mounts_ReferToExistingFilesOrDeclaredVolumes()
    {
        foreach (var service in Compose.Services.Values)
        {
            foreach (var volume in service.Volumes)
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith('.') || source.StartsWith('/'))
                {
                    var path = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, source));
                    Assert.True(File.Exists(path) || Directory.Exists(path), $"{service.Name} mounts missing {source}");
                }
                else
                {
                    Assert.True(Compose.NamedVolumes.Contains(source), $"{service.Name} uses undeclared volume {source}");
                }
            }
        }
    }

    [Fact]
    public void EnvExample_ListsEveryVariableComposeUses()
    {
        var listed = EnvExample.Variables();
        var used = Compose.AllInterpolations.Select(i => i.Variable).Distinct().ToList();
        Assert.NotEmpty(used);
        var missing = used.Where(v => !listed.Contains(v)).ToList();
        Assert.True(missing.Count == 0, $".env.example lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void EnvExample_ValuesAreComposesDefaults()
    {
        // .env.example shows the defaults; a stale copy there would override compose's (and the checks above) once copied to .env.
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in Compose.AllInterpolations.Where(i => i.Operator is ":-" or "-"))
        {
            if (defaults.TryGetValue(reference.Variable, out var other))
            {
                Assert.True(other == reference.Argument, $"compose gives {reference.Variable} two defaults: '{other}' and '{reference.Argument}'");
            }
            defaults[reference.Variable] = reference.Argument ?? "";
        }
        foreach (var (name, value) in EnvExample.Entries())
        {
            if (defaults.TryGetValue(name, out var composeDefault) && value.Length > 0)
            {
                Assert.True(value == composeDefault, $".env.example sets {name}={value}, but compose's default is '{composeDefault}'");
            }
        }
    }

    [Fact]
    public void EnvExample_ExplainsEveryVariable()
    {
        // Each NAME= line (or group of them) follows a comment that explains it.
        var lines = File.ReadAllLines(RepositoryRoot.File(".env.example"));
        var entry = new Regex(@"^\s*#?\s*[A-Z][A-Z0-9_]*=");
        for (var i = 0; i < lines.Length; i++)
        {
            if (!entry.IsMatch(lines[i]))
            {
                continue;
            }
            var j = i - 1;
            while (j >= 0 && entry.IsMatch(lines[j]))
            {
                j--;
            }
            Assert.True(j >= 0 && lines[j].TrimStart().StartsWith('#'), $".env.example line {i + 1} ({lines[i]}) has no comment above it");
        }
    }

    [Fact]
    public void Interpolations_ParseDefaultsAndRequiredMessages()
    {
        // Guards the parser the other checks rely on.
        var found = ComposeFile.Interpolations("a${X:-1}b${Y:?Y is needed}$${Z}${W}");
        Assert.Equal(
            [new ComposeFile.Interpolation("X", ":-", "1"), new ComposeFile.Interpolation("Y", ":?", "Y is needed"),
                new ComposeFile.Interpolation("W", null, null)],
            found);
        Assert.Equal("a1b-${Z}", ComposeFile.ValueWithDefaults("a${X:-1}b${W}-$${Z}"));
        Assert.Null(ComposeFile.ValueWithDefaults("${Y:?needed}"));
    }

    /// <summary>The longer of the GitWorker's two job timeouts, as compose sets or defaults them.</summary>
    private static (string Name, TimeSpan Value) LongestJobTimeout()
    {
        var job = ComposeTimeSpan("gitworker", "GitWorker__JobTimeout", Settings.DefaultJobTimeout);
        var large = ComposeTimeSpan("gitworker", "GitWorker__LargeRepositoryJobTimeout", Settings.DefaultLargeRepositoryJobTimeout);
        return large >= job ? ("GitWorker__LargeRepositoryJobTimeout", large) : ("GitWorker__JobTimeout", job);
    }

    /// <summary>A setting as compose produces it with its defaults, or the service's default when compose does not set it.</summary>
    private static TimeSpan ComposeTimeSpan(string service, string setting, TimeSpan serviceDefault)
    {
        if (Compose.Services[service].Environment.GetValueOrDefault(setting) is not { } value)
        {
            return serviceDefault;
        }
        var text = ComposeFile.ValueWithDefaults(value);
        Assert.True(text is not null, $"{service} {setting} must not be a required variable: {value}");
        return text.Length == 0 ? serviceDefault : ComposeFile.ParseTimeSpan(text);
    }
}
