using StarSync.Contracts;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>A mirror the unstar policy retired is frozen until the repository is starred again, and then normal again.</summary>
public sealed class MirrorRestarTests
{
    private static RepositoryUnstarred Unstar(Guid id, MirrorSagaHarness h, string delivery = "unstar-1") =>
        new(id, 42, "octo/hello", h.Clock.GetUtcNow(), "webhook", delivery);

    [Fact]
    public async Task StarAfterArchive_RemovesTheNoteSyncsAndRefreshesAgain_AndAnotherUnstarArchivesAgain()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Archive);
        var id = await h.CompleteMirrorAsync();
        await h.PublishAndConsumeAsync(Unstar(id, h));
        Assert.Equal("archived", h.Instance(id).RetiredAction);

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "star-again"));

        Assert.True(await h.WasPublishedAsync<RestoreOneDevProject>(m => m.MirrorId == id && m.ProjectId == 7));
        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Null(saga.RetiredAction);
        Assert.True(saga.Starred);
        Assert.DoesNotContain(saga.History, e => e is { Event: "star", Outcome: "ignored" });

        await h.PublishAndConsumeAsync(new OneDevProjectRetired(id, 7, "restored", null));
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 2, h.Clock.GetUtcNow(), 1, 0, true, 10));
        saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.SyncInterval, saga.NextSyncAt);
        Assert.Contains(saga.History, e => e is { Event: "star", Outcome: "restored" });

        await h.PublishAndConsumeAsync(Unstar(id, h, "unstar-2"));
        Assert.Equal("archived", h.Instance(id).RetiredAction);
        Assert.Equal(2, h.PublishedCount<ArchiveOneDevProject>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task PushWebhook_ForAnArchivedMirror_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Archive);
        var id = await h.CompleteMirrorAsync();
        await h.PublishAndConsumeAsync(Unstar(id, h));

        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "push", "push-1", h.Clock.GetUtcNow()));

        var saga = h.Instance(id);
        Assert.Equal("Completed", saga.CurrentState);
        Assert.Contains(saga.History, e => e is { Event: "sync", Outcome: "ignored" });
        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task StarWhileTheDeleteIsOnItsWay_MirrorsAnewOnceItIsDone()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Delete);
        var id = await h.CompleteMirrorAsync();
        await h.PublishAndConsumeAsync(Unstar(id, h));

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "star-again"));
        Assert.Equal("Completed", h.Instance(id).CurrentState);
        await h.PublishAndConsumeAsync(new OneDevProjectRetired(id, 7, "deleted", null));

        Assert.True(await h.WasPublishedAsync<CreateOneDevProject>(m => m.MirrorId == id && m.Attempt == 2));
        var saga = await h.InStateAsync(id, m => m.Pending);
        Assert.Null(saga.RetiredAction);
        Assert.True(saga.Starred);
    }
}
