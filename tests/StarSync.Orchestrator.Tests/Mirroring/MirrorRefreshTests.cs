using StarSync.Contracts;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>Keeping Completed mirrors current: interval, push webhooks, manual syncs, unstars, renames, gone repositories.</summary>
public sealed class MirrorRefreshTests
{
    private static RepositorySyncRequested Sync(Guid id, string source = "push", string? delivery = null) =>
        new(id, 42, source, delivery ?? Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);

    [Fact]
    public async Task RefreshDue_AfterTheInterval_SendsTheNextAttempt()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();
        h.Clock.Advance(h.Options.SyncInterval);

        await h.PublishAndConsumeAsync(new MirrorRefreshDue(id, h.Instance(id).Version));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Null(saga.NextSyncAt);
        Assert.Contains(saga.History, e => e is { Event: "refresh", Outcome: "sent" });
    }

    [Fact]
    public async Task RefreshDue_BeforeTheInterval_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new MirrorRefreshDue(id, h.Instance(id).Version));

        Assert.Equal("Completed", h.Instance(id).CurrentState);
        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task PushWebhook_ForACompletedMirror_SyncsAtOnce()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(Sync(id));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        Assert.Contains(h.Instance(id).History, e => e is { Event: "sync", Outcome: "sent", Detail: "push" });
    }

    [Fact]
    public async Task PushWebhook_WhileMirroring_RunsOneMoreSyncAfterwards()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorStarted(id, 1, "worker-a", h.Clock.GetUtcNow()));
        await h.PublishAndConsumeAsync(Sync(id));
        Assert.True(h.Instance(id).ResyncRequested);
        Assert.Equal("Mirroring", h.Instance(id).CurrentState);

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.False(saga.ResyncRequested);
    }

    [Fact]
    public async Task AdminSync_ForAFailedMirror_RetriesIt()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "repository not found", false, h.Clock.GetUtcNow(), 5));
        await h.InStateAsync(id, m => m.Failed);

        await h.PublishAndConsumeAsync(Sync(id, "admin"));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        Assert.Equal(0, h.Instance(id).RetryCount);
    }

    [Fact]
    public async Task Interval_SetForACompletedMirror_MovesTheNextRefresh()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new SetMirrorSyncInterval(id, 90));

        var saga = h.Instance(id);
        Assert.Equal(90, saga.SyncIntervalSeconds);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromSeconds(90), saga.NextSyncAt);
    }

    [Fact]
    public async Task Interval_BelowOneMinute_IsRaisedToOneMinute()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new SetMirrorSyncInterval(id, 5));

        Assert.Equal(60, h.Instance(id).SyncIntervalSeconds);
    }

    [Fact]
    public async Task Unstar_UnderKeep_KeepsRefreshing()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUnstarred(id, 42, "octo/hello", h.Clock.GetUtcNow(), "poll", null));

        var saga = h.Instance(id);
        Assert.False(saga.Starred);
        Assert.NotNull(saga.NextSyncAt);
        Assert.Equal(0, h.PublishedCount<ArchiveOneDevProject>(m => m.MirrorId == id));
        Assert.Equal(0, h.PublishedCount<DeleteOneDevProject>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task Unstar_UnderArchive_ArchivesTheProjectAndStopsRefreshing()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Archive);
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUnstarred(id, 42, "octo/hello", h.Clock.GetUtcNow(), "poll", null));

        Assert.True(await h.WasPublishedAsync<ArchiveOneDevProject>(m => m.MirrorId == id && m.ProjectId == 7));
        var saga = h.Instance(id);
        Assert.Equal("archived", saga.RetiredAction);
        Assert.Null(saga.NextSyncAt);
        Assert.Null(saga.DueAt);
    }

    [Fact]
    public async Task Unstar_UnderDelete_DeletesTheProjectAndAStarMirrorsAgain()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Delete);
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUnstarred(id, 42, "octo/hello", h.Clock.GetUtcNow(), "poll", null));
        Assert.True(await h.WasPublishedAsync<DeleteOneDevProject>(m => m.MirrorId == id && m.ProjectId == 7));
        await h.PublishAndConsumeAsync(new OneDevProjectRetired(id, 7, "deleted", null));
        Assert.Null(h.Instance(id).OneDevProjectId);

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "star-again"));

        Assert.True(await h.WasPublishedAsync<CreateOneDevProject>(m => m.MirrorId == id && m.Attempt == 2));
        await h.InStateAsync(id, m => m.Pending);
    }

    [Fact]
    public async Task Unstar_UnderArchive_WhileMirroring_IsAppliedWhenTheSyncEnds()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Archive);
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUnstarred(id, 42, "octo/hello", h.Clock.GetUtcNow(), "poll", null));
        Assert.Null(h.Instance(id).RetiredAction);
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10));

        Assert.True(await h.WasPublishedAsync<ArchiveOneDevProject>(m => m.MirrorId == id));
        await h.InStateAsync(id, m => m.Completed);
    }

    [Fact]
    public async Task UnstarThenStar_UnderArchive_WhileMirroring_LeavesTheMirrorStarredAndCurrent()
    {
        await using var h = await MirrorSagaHarness.StartAsync(o => o.UnstarPolicy = UnstarPolicy.Archive);
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUnstarred(id, 42, "octo/hello", h.Clock.GetUtcNow(), "webhook", "unstar-1"));
        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "star-again"));
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10));

        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.True(saga.Starred);
        Assert.Null(saga.RetiredAction);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.SyncInterval, saga.NextSyncAt);
        Assert.Equal(0, h.PublishedCount<ArchiveOneDevProject>(m => m.MirrorId == id));
        Assert.Contains(saga.History, e => e is { Event: "star", Outcome: "accepted", DeliveryId: "star-again" });
    }

    [Fact]
    public async Task Star_ForARenamedRepository_UpdatesTheNamesOfTheSameSaga()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();
        var renamed = MirrorSagaHarness.Star(id, "after-rename") with
        {
            Repository = MirrorSagaHarness.Repository() with
            {
                Owner = "new-owner",
                Name = "renamed",
                FullName = "new-owner/renamed",
                CloneUrl = "https://github.com/new-owner/renamed.git",
            },
        };

        await h.PublishAndConsumeAsync(renamed);

        var saga = h.Instance(id);
        Assert.Equal("new-owner/renamed", saga.FullName);
        Assert.Equal("https://github.com/new-owner/renamed.git", saga.CloneUrl);
        Assert.Equal(7, saga.OneDevProjectId);
        Assert.Equal("Completed", saga.CurrentState);
    }

    [Fact]
    public async Task UpstreamGone_ForACompletedMirror_KeepsItAndStopsRefreshing()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryUpstreamGone(id, 42, "deleted", h.Clock.GetUtcNow()));

        var saga = h.Instance(id);
        Assert.Equal("deleted", saga.UpstreamGoneReason);
        Assert.Null(saga.NextSyncAt);
        Assert.Equal("GitHub repository deleted; mirror kept, no longer refreshed", saga.Status);
        Assert.Equal(7, saga.OneDevProjectId);
    }
}
