using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
[Collection(FaultCollection.Name)]
public sealed class DependencyFaultTests(TestServers servers)
{
    [Fact]
    public async Task OneDevAnswers500ToTheFirstRequests_SagaRetriesWithBackoffAndCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: FaultScenario.ShortDeadlines, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "onedev-500");
        stack.OneDev.FailNextRestRequests(3, 500);

        await FaultScenario.StarAsync(stack, repository, ct);

        var mirror = await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.Contains("project/failed", history);
        Assert.Contains("retry/sent", history);
        Assert.Null(mirror.LastError);
    }

    [Fact]
    public async Task OneDevHangsOnTheFirstRequests_ClientTimesOutAndTheSagaRetriesAndCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var timeout = new Dictionary<string, string?> { ["OneDev__RequestTimeout"] = "00:00:02" };
        await using var stack = await StarSyncStack.StartAsync(servers,
            orchestratorSettings: FaultScenario.ShortDeadlines.Concat(timeout).ToDictionary(), gitWorkerSettings: timeout, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "onedev-hang");
        stack.OneDev.HangNextRestRequests(3);

        await FaultScenario.StarAsync(stack, repository, ct);

        await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.Contains("project/failed", history);
        Assert.Contains("retry/sent", history);
    }

    [Fact]
    public async Task GitHubAnswers429ToTheFirstGitRequests_TransientRetriedAndCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: FaultScenario.ShortDeadlines, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "github-429");
        stack.GitHub.FailNextGitRequests(3, 429);

        await FaultScenario.StarAsync(stack, repository, ct);

        await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.Contains("mirror/failed", history);
        Assert.Contains("retry/sent", history);
    }

    [Fact]
    public async Task OneDevRejectsTheToken_SagaFailsOnceWithAReadableReasonAndIsNeverRedriven()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: FaultScenario.ShortDeadlines, ct: ct);
        var (repository, _) = await FaultScenario.CreateRepositoryAsync(stack, "token-revoked");
        stack.OneDev.RevokeToken(stack.OneDev.Token);

        await FaultScenario.StarAsync(stack, repository, ct);

        var failed = await FaultScenario.WaitForAsync(stack, repository, "Failed", ct);
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.Contains("401", failed.LastError);
        Assert.Contains("credentials", failed.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(stack.OneDev.Token, failed.LastError);
        Assert.DoesNotContain(stack.OneDev.Token, failed.Status);
        Assert.Equal(1, failed.RetryCount);
        Assert.Equal(["star/accepted", "project/failed"], history);
        // Nothing will ever re-drive it: no retry and no deadline are due.
        Assert.Null(await stack.DueAtAsync(repository.Id, ct));
        Assert.Empty(stack.OneDev.Projects);
        Assert.DoesNotContain(stack.OneDev.Token, string.Join('\n', stack.Orchestrators.SelectMany(o => o.Output)));
    }
}
