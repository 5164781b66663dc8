using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

public sealed class DeployFilesTests
{
    private static readonly string Dockerfile = RepositoryRoot.ReadText("deploy/Dockerfile");

    [Fact]
    public void Dockerfile_BuildsOnSdkAndRunsOnAspNetRuntime()
    {
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", Dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$", Dockerfile);
        Assert.Matches(@"(?m)^ARG SERVICE\b", Dockerfile);
        Assert.Matches(@"dotnet publish ""services/\$SERVICE/\$SERVICE\.csproj""", Dockerfile);
    }

    [Fact]
    public void Dockerfile_RunsAsNonRootWithoutHealthcheck()
    {
        var users = Regex.Matches(Dockerfile, @"(?m)^USER\s+(\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(users);
        Assert.DoesNotContain(users[^1], (string[])["root", "0"]);
        Assert.DoesNotMatch(@"(?m)^HEALTHCHECK", Dockerfile);
        Assert.Matches(@"(?m)^ENTRYPOINT \[""dotnet"", ""[^""]+\.dll""\]$", Dockerfile);
    }

    [Fact]
    public void Dockerfile_InstallsGitForTheGitWorkerOnly()
    {
        Assert.Matches(@"if \[ ""\$SERVICE"" = ""StarSync\.GitWorker"" \]; then[^;]*apt-get install[^;]*\bgit git-lfs\b", Dockerfile);
        // setpriv and timeout make git die with the worker (GitProcessStarter); it refuses to run git without them.
        Assert.Matches(@"if \[ ""\$SERVICE"" = ""StarSync\.GitWorker"" \]; then[^;]*apt-get install[^;]*\butil-linux coreutils\b", Dockerfile);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsGitAndSecretsOut()
    {
        var lines = File.ReadAllLines(RepositoryRoot.File(".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains(".git/", lines);
        Assert.Contains(".env", lines);
        Assert.Contains("**/TestResults/", lines);
    }

    [Fact]
    public void GitIgnore_IgnoresTheEnvFile()
    {
        Assert.Contains(".env", File.ReadAllLines(RepositoryRoot.File(".gitignore")).Select(l => l.Trim()));
    }

    [Fact]
    public void EnabledPlugins_IncludeManagementAndShovel()
    {
        Assert.Equal(
            "[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].",
            RepositoryRoot.ReadText("deploy/rabbitmq/enabled_plugins").Trim());
    }

    [Fact]
    public void RabbitMqConfig_SetsOnlyAConsumerTimeoutAboveTheDefault()
    {
        // RabbitMQ 3.10's default is 30 minutes, the same as the GitWorker's default job timeout.
        Assert.True(RabbitMqConfig.ConsumerTimeoutMilliseconds() > 1_800_000);
        // And above the largest job timeout the GitWorker accepts at all (GitWorker:LargeRepositoryJobTimeout at most 01:59:00).
        Assert.True(RabbitMqConfig.ConsumerTimeoutMilliseconds() > TimeSpan.FromMinutes(119).TotalMilliseconds);
        Assert.DoesNotContain(RabbitMqConfig.Entries().Keys, k => k.StartsWith("listeners.", StringComparison.Ordinal) || k.StartsWith("default_", StringComparison.Ordinal));
    }

    [Fact]
    public void EnvExample_HasNoSecretValues()
    {
        foreach (var (name, value) in EnvExample.Entries())
        {
            if (Regex.IsMatch(name, "SECRET|TOKEN(?!_FROM_)|PASSWORD|PRIVATE_KEY"))
            {
                Assert.True(value.Length == 0, $".env.example gives {name} a value");
            }
        }
    }
}
