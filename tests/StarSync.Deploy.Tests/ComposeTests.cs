using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    public static TheoryData<string> AppServices() => [.. Settings.Projects.Keys];

    public static TheoryData<string, string, string> RequiredSecrets()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (service, setting, variable) in Settings.RequiredSecrets)
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

    [Fact]
    public void Environment_HoldsNoLiteralSecrets()
    {
        var secretName = new Regex("secret|token|passw|pass$|pwd|credential|apikey", RegexOptions.IgnoreCase);
        foreach (var service in Compose.Services.Values)
        {
            foreach (var (name, value) in service.Environment)
            {
                if (secretName.IsMatch(name))
                {
                    var literal = Regex.Replace(value, @"\$\{[^}]*\}", "");
                    Assert.True(literal.Length == 0, $"{service.Name} {name} has a literal part '{literal}'");
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
    public void ConsumerTimeout_ExceedsGitWorkerJobTimeout()
    {
        var jobTimeout = JobTimeout();
        var consumerTimeout = TimeSpan.FromMilliseconds(RabbitMqConfig.ConsumerTimeoutMilliseconds());
        Assert.True(consumerTimeout > jobTimeout,
            $"consumer_timeout {consumerTimeout} in deploy/rabbitmq/rabbitmq.conf must exceed GitWorker__JobTimeout {jobTimeout}");
    }

    [Fact]
    public void MirrorDeadline_ExceedsGitWorkerJobTimeout()
    {
        var value = Compose.Services["orchestrator"].Environment.GetValueOrDefault("Mirroring__MirrorDeadline");
        var deadline = value is null ? Settings.DefaultMirrorDeadline : ComposeFile.ParseTimeSpan(ComposeFile.ValueWithDefaults(value)!);
        Assert.True(deadline > JobTimeout(), $"Mirroring__MirrorDeadline {deadline} must exceed GitWorker__JobTimeout {JobTimeout()}");
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

    private static TimeSpan JobTimeout()
    {
        var value = Compose.Services["gitworker"].Environment.GetValueOrDefault("GitWorker__JobTimeout");
        return value is null ? Settings.DefaultJobTimeout : ComposeFile.ParseTimeSpan(ComposeFile.ValueWithDefaults(value)!);
    }
}
