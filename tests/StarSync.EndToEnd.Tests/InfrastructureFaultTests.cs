using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
[Collection(FaultCollection.Name)]
public sealed class InfrastructureFaultTests(TestServers servers)
{
    [Fact]
    public async Task RabbitMqStoppedAndStartedDuringTheMirrorStep_ServicesReconnectAndTheSyncCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: FaultScenario.ShortDeadlines, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "broker-restart", largeFiles: 2);

        await FaultScenario.StarAsync(stack, repository, ct);
        var mirroring = await FaultScenario.WaitForAsync(stack, repository, "Mirroring", ct);
        // StopAsync returns when the node has exited: every connection is gone, the worker's job is interrupted and
        // its unacked command stays in the durable quorum queue.
        await servers.RabbitMq.StopAsync();
        await servers.RabbitMq.StartAgainAsync();

        await stack.WaitForConsumersAsync(new Dictionary<string, int>
        {
            ["mirror-state"] = 1, ["create-one-dev-project"] = 1, ["mirror-repository"] = 1,
        }, ct);
        await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
    }

    [Fact]
    public async Task PostgresStoppedAndStartedDuringTheMirrorStep_TheSyncCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: FaultScenario.ShortDeadlines, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "database-restart", largeFiles: 2);

        await FaultScenario.StarAsync(stack, repository, ct);
        var mirroring = await FaultScenario.WaitForAsync(stack, repository, "Mirroring", ct);
        await servers.Postgres.StopAsync();
        try
        {
            // The worker pushes and reports while the saga cannot be loaded.
            await Eventually.UntilAsync(() => stack.OneDev.ReceivePackCount(mirroring.ProjectPath!) > 0,
                FaultScenario.Timeout, "the worker pushed while PostgreSQL was down", ct);
        }
        finally
        {
            await servers.Postgres.StartAgainAsync();
        }

        await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
    }
}
