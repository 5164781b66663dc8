using StarSync.Contracts;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class BuildSpecSagaTests
{
    [Fact]
    public async Task MirrorCommands_CarryTheConfiguredPolicy_UntilTheMirrorHasItsOwn()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.BuildSpecPolicy = BuildSpecPolicy.Isolated);
        var id = await h.StartMirrorAsync();
        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 1 && m.BuildSpecs == BuildSpecPolicy.Isolated));
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10));

        await h.PublishAndConsumeAsync(new SetMirrorBuildSpecPolicy(id, BuildSpecPolicy.Allow));
        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "admin", "sync-1", h.Clock.GetUtcNow()));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2 && m.BuildSpecs == BuildSpecPolicy.Allow));
        var saga = h.Instance(id);
        Assert.Equal(BuildSpecPolicy.Allow, saga.BuildSpecPolicy);
        Assert.Contains(saga.History, e => e is { Event: "buildspec", Outcome: "policy", Detail: "Allow for this mirror" });
    }

    [Fact]
    public async Task RefusedBuildSpec_FailsTheMirror_AndAllowingItTriesAgain()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        var reason = "nothing pushed: .onedev-buildspec.yml at the tip of refs/heads/main would make OneDev run this repository's jobs";

        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, reason, false, h.Clock.GetUtcNow(), 5, BuildSpecRefs: ["refs/heads/main"]));
        var failed = await h.InStateAsync(id, m => m.Failed);
        Assert.Contains(failed.History, e => e is { Event: "buildspec", Outcome: "refused", Detail: "refs/heads/main (policy Refuse)" });
        Assert.Equal(reason, failed.LastError);

        await h.PublishAndConsumeAsync(new SetMirrorBuildSpecPolicy(id, BuildSpecPolicy.Allow));
        var again = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2 && m.BuildSpecs == BuildSpecPolicy.Allow));

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 2, h.Clock.GetUtcNow(), 1, 0, true, 10, BuildSpecRefs: ["refs/heads/main"]));
        var completed = await h.InStateAsync(id, m => m.Completed);
        Assert.Contains(completed.History, e => e is { Event: "buildspec", Outcome: "allowed", Detail: "refs/heads/main (policy Allow)" });
        Assert.Equal(2, again.Attempt);
    }
}
