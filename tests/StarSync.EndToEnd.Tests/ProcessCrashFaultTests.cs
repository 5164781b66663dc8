using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
[Collection(FaultCollection.Name)]
public sealed class ProcessCrashFaultTests(TestServers servers)
{
    [Fact]
    public async Task GitWorkerKilledDuringItsJob_UnackedCommandIsRedeliveredAndTheOtherWorkerFinishes()
    {
        var ct = TestContext.Current.CancellationToken;
        // Default deadlines (minutes): only RabbitMQ's redelivery of the unacked command can finish this in time.
        await using var stack = await StarSyncStack.StartAsync(servers, gitWorkers: 2, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "killed-worker", largeFiles: 4);

        await FaultScenario.StarAsync(stack, repository, ct);
        var mirroring = await FaultScenario.WaitForAsync(stack, repository, "Mirroring", ct);
        var worker = await stack.LastWorkerAsync(repository.Id, ct);
        var busy = stack.GitWorkers.Single(w => worker!.EndsWith("/" + w.Pid, StringComparison.Ordinal));
        // Catch the push itself when possible: receive-pack writes the incoming pack into a quarantine directory.
        var objects = Path.Combine(stack.OneDev.RepositoryPath(mirroring.ProjectPath!), "objects");
        // Polled every 10 ms (not Eventually's 100 ms): a local push of a few tens of MB is short.
        var deadline = DateTime.UtcNow + FaultScenario.Timeout;
        while (!Directory.EnumerateDirectories(objects, "*incoming*").Any() && stack.OneDev.ReceivePackCount(mirroring.ProjectPath!) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the worker never pushed. Logs:\n{stack.LogTail()}");
            await Task.Delay(10, ct);
        }
        busy.Kill();
        var pushesBeforeKill = stack.OneDev.ReceivePackCount(mirroring.ProjectPath!);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{DateTimeOffset.UtcNow:HH:mm:ss} killed {worker} with {pushesBeforeKill} completed pushes (0: killed during its push)");

        var mirror = await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        var finisher = await stack.LastWorkerAsync(repository.Id, ct);
        Assert.True(finisher != worker, $"the killed worker {worker} finished the job before it was killed (pushes at kill: {pushesBeforeKill})");
        Assert.Equal(1, mirror.Attempt);
        Assert.Equal(0, mirror.RetryCount);
        // "unchanged" when the killed worker's push had already landed and only its report was lost.
        Assert.Single(await stack.HistoryAsync(repository.Id, ct), h => h is "mirror/completed" or "mirror/unchanged");
    }

    [Fact]
    public async Task OrchestratorKilledAfterTheProjectExists_NewOrchestratorOnTheSameDatabaseCompletesTheSync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "killed-orchestrator");
        // Hold the mirror step in its durable queue so the Orchestrator can be killed between the two steps.
        var worker = stack.GitWorkers.Single();
        await worker.StopAsync();

        await FaultScenario.StarAsync(stack, repository, ct);
        await FaultScenario.WaitForAsync(stack, repository, "ProjectCreated", ct);
        await Eventually.UntilAsync(async () => await servers.RabbitMq.GetMessageCountAsync(stack.VirtualHost, "mirror-repository", ct) >= 1,
            FaultScenario.Timeout, "the mirror step is queued", ct);
        stack.Orchestrators.Single().Kill();
        // The worker's answers wait in the saga's queue while no Orchestrator runs.
        await stack.StartLikeAsync(worker, ct);
        await Eventually.UntilAsync(async () => await servers.RabbitMq.GetMessageCountAsync(stack.VirtualHost, "mirror-state", ct) >= 2,
            FaultScenario.Timeout, "the worker's answers are queued for the saga", ct);
        await stack.StartLikeAsync(stack.Orchestrators.Single(), ct);

        var mirror = await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        Assert.Equal(1, mirror.Attempt);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
        Assert.Equal(["star/accepted", "project/created", "mirror/completed"], await stack.HistoryAsync(repository.Id, ct));
    }
}
