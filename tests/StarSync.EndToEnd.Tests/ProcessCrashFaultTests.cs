using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
[Collection(FaultCollection.Name)]
public sealed class ProcessCrashFaultTests(TestServers servers)
{
    [Fact]
    public async Task GitWorkerKilledInTheMiddleOfItsPush_UnackedCommandIsRedeliveredAndTheOtherWorkerFinishes()
    {
        var ct = TestContext.Current.CancellationToken;
        // Default deadlines (minutes): only RabbitMQ's redelivery of the unacked command can finish this in time.
        await using var stack = await StarSyncStack.StartAsync(servers, gitWorkers: 2, ct: ct);
        var (repository, source) = await FaultScenario.CreateRepositoryAsync(stack, "killed-worker");

        // Hold pushes at OneDev: the first worker's push is then on the wire when it is killed.
        stack.OneDev.PauseReceivePacks();
        await FaultScenario.StarAsync(stack, repository, ct);
        await Eventually.UntilAsync(() => stack.OneDev.ReceivePacksWaiting >= 1, FaultScenario.Timeout, "a push reaches OneDev", ct);
        string? worker = null;
        await Eventually.UntilAsync(async () => (worker = await stack.LastWorkerAsync(repository.Id, ct)) is not null,
            FaultScenario.Timeout, "the saga knows which worker runs the job", ct);
        var busy = stack.GitWorkers.Single(w => worker!.EndsWith("/" + w.Pid, StringComparison.Ordinal));
        busy.Kill();
        await Eventually.UntilAsync(() => busy.HasExited, FaultScenario.Timeout, "the killed worker is gone", ct);
        stack.OneDev.ResumeReceivePacks();

        var mirror = await FaultScenario.AssertMirroredAsync(stack, repository, source, ct);
        var finisher = await stack.LastWorkerAsync(repository.Id, ct);
        Assert.True(finisher != worker, $"the killed worker {worker} reported the mirror it was killed in");
        Assert.Equal(1, mirror.Attempt);
        Assert.Equal(0, mirror.RetryCount);
        // The killed worker's push either never applies (OneDev saw its client go) or applies whole (receive-pack takes a
        // complete pack or nothing; its answer then goes nowhere, so the emulator does not count it). In the first case
        // the other worker pushes once; in the second it finds the mirror current and pushes nothing.
        var outcome = Assert.Single(await stack.HistoryAsync(repository.Id, ct), h => h is "mirror/completed" or "mirror/unchanged");
        var answeredPushes = stack.OneDev.ReceivePackCount(mirror.ProjectPath!);
        Assert.True(outcome == "mirror/completed" ? answeredPushes == 1 : answeredPushes <= 1,
            $"{outcome} after {answeredPushes} answered pushes");
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
