using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using StarSync.Emulators;
using StarSync.OneDev;
using StarSync.Orchestrator.Mirroring;
using StarSync.Orchestrator.Projects;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Projects;

public sealed class BuildSpecIsolationTests
{
    [Theory]
    [InlineData(null, "github/octo/x", false)]
    [InlineData("\"Project\" is not \"github/**\"", "github/octo/x", true)]
    [InlineData("\"Project\" is not \"github/**\"", "octo-x", false)]
    [InlineData("\"Project\" is not \"github/*\"", "github/octo/x", false)]
    [InlineData("\"Project\" is not \"*-*\"", "octo-x", true)]
    [InlineData("\"Job\" is \"ci\" and \"Project\" is not \"github/**\"", "github/octo/x", true)]
    [InlineData("\"Project\" is not \"github/**\" or \"Job\" is \"ci\"", "github/octo/x", false)]
    [InlineData("(\"Project\" is not \"github/**\")", "github/octo/x", false)]
    [InlineData("\"Project\" is \"github/**\"", "github/octo/x", false)]
    [InlineData("\"Project\" is not \"other/**\"", "github/octo/x", false)]
    [InlineData("\"Project\" is not \"github/**", "github/octo/x", false)]
    [InlineData("\"Project\" is not \"a(b)/**\"", "a(b)/x", true)]
    public void ExcludesProject_OnlyForACertainTopLevelExclusion(string? requirement, string path, bool excluded)
    {
        Assert.Equal(excluded, JobExecutorIsolation.ExcludesProject(requirement, path));
    }

    [Fact]
    public void Evaluate_NeedsAnExecutor_AndIgnoresDisabledOnes()
    {
        Assert.False(JobExecutorIsolation.Evaluate([], "github/a/b").Isolated);
        var verdict = JobExecutorIsolation.Evaluate(
            [new OneDevJobExecutor { Name = "off", Enabled = false }, new OneDevJobExecutor { Name = "safe", JobRequirement = "\"Project\" is not \"github/**\"" }],
            "github/a/b");
        Assert.True(verdict.Isolated, verdict.Reason);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("none", "{owner}-{repo}", LogLevel.Warning, "no job executor is defined")]
    [InlineData("any", "github/{owner}/{repo}", LogLevel.Warning, "job executor(s) 'any-job' would run jobs of 'github/owner/repo'")]
    [InlineData("excluding", "github/{owner}/{repo}", LogLevel.Information, "exclude mirror projects such as 'github/owner/repo'")]
    [InlineData("not-admin", "github/{owner}/{repo}", LogLevel.Information, "the OneDev token is not an administrator's")]
    public async Task StartupCheck_WarnsWhenAnExecutorWouldRunMirrorJobs(string setup, string template, LogLevel level, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var oneDev = await OneDevEmulator.StartAsync(ct);
        switch (setup)
        {
            case "any":
                oneDev.JobExecutors.Add(new EmulatedJobExecutor("any-job", null));
                break;
            case "excluding":
                oneDev.JobExecutors.Add(new EmulatedJobExecutor("trusted", "\"Project\" is not \"github/**\""));
                break;
            case "not-admin":
                oneDev.TokenIsAdministrator = false;
                break;
        }
        using var provider = OneDevTestServices.Client(oneDev, out var client);
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var check = new JobExecutorCheck(client, Options.Create(new ProjectsOptions { NameTemplate = template }),
            Options.Create(new MirroringOptions()), loggers.CreateLogger<JobExecutorCheck>());

        await check.CheckAsync(ct);

        var line = Assert.Single(logs.From("StarSync.Orchestrator.Projects.JobExecutorCheck"));
        Assert.Equal(level, line.Level);
        Assert.Contains(expected, line.Message, StringComparison.Ordinal);
    }
}
