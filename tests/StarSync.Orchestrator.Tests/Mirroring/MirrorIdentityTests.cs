using StarSync.Contracts;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>
/// What the saga records of its repository follows every event that describes it (push payloads, the GitWorker's
/// lookup by id), and a repository GitHub no longer serves is kept as it was.
/// </summary>
public sealed class MirrorIdentityTests
{
    private static GitHubRepository Moved(long id = 42) => new(
        id, "new-owner", "renamed", "new-owner/renamed", "https://github.com/new-owner/renamed.git",
        "https://github.com/new-owner/renamed", "trunk", true, 4096, "moved and grown");

    [Fact]
    public async Task PushWebhookWithThePayloadsRepository_UpdatesTheRecordedNamesAndSendsThem()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "push", "push-1", h.Clock.GetUtcNow(), Moved()));

        var saga = h.Instance(id);
        Assert.Equal("new-owner/renamed", saga.FullName);
        Assert.Equal("new-owner", saga.Owner);
        Assert.Equal("https://github.com/new-owner/renamed.git", saga.CloneUrl);
        Assert.Equal("trunk", saga.DefaultBranch);
        Assert.True(saga.Private);
        Assert.Equal(4096, saga.SizeKb);
        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2
                                                                    && m.Repository.FullName == "new-owner/renamed"));
    }

    [Fact]
    public async Task RenameReportedWhileTheProjectStepIsUnanswered_RetriesUnderTheFirstName()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = MassTransit.NewId.NextGuid();
        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "star-1"));
        await h.InStateAsync(id, m => m.Pending);

        // The first attempt may have made octo-hello and lost its answer: its retry must look for that same project.
        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "push", "push-1", h.Clock.GetUtcNow(), Moved()));
        await h.PublishAndConsumeAsync(new OneDevProjectCreationFailed(id, 1, "OneDev timed out", true, h.Clock.GetUtcNow()));
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.PublishAndConsumeAsync(new MirrorRetryDue(id, 1));

        Assert.True(await h.WasPublishedAsync<CreateOneDevProject>(m => m.MirrorId == id && m.Attempt == 2
                                                                        && m.Repository.FullName == "octo/hello"));
        Assert.Equal("octo/hello", h.Instance(id).FullName);
    }

    [Fact]
    public async Task PushWebhookWhileMirroring_UpdatesTheRecordedNames()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "push", "push-1", h.Clock.GetUtcNow(), Moved()));

        Assert.Equal("new-owner/renamed", h.Instance(id).FullName);
        Assert.True(h.Instance(id).ResyncRequested);
    }

    [Fact]
    public async Task PayloadOfAnotherRepository_IsNotApplied()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "push", "push-1", h.Clock.GetUtcNow(), Moved(id: 43)));

        Assert.Equal("octo/hello", h.Instance(id).FullName);
    }

    [Fact]
    public async Task MirroredWithTheApisRepository_RecordsTheCurrentNames()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10, Repository: Moved()));

        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Equal("new-owner/renamed", saga.FullName);
        Assert.Equal("https://github.com/new-owner/renamed.git", saga.CloneUrl);
    }

    [Fact]
    public async Task MirrorFailedBecauseTheUpstreamIsGone_KeepsTheMirrorAndStopsRefreshing()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.CompleteMirrorAsync();
        h.Clock.Advance(h.Options.SyncInterval);
        await h.PublishAndConsumeAsync(new MirrorRefreshDue(id, h.Instance(id).Version));
        await h.InStateAsync(id, m => m.ProjectCreated);

        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 2, "GitHub repository #42 (last known as octo/hello) no longer exists",
            false, h.Clock.GetUtcNow(), 5, UpstreamGone: "deleted"));

        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Equal("deleted", saga.UpstreamGoneReason);
        Assert.Null(saga.NextSyncAt);
        Assert.Null(saga.DueAt);
        Assert.Equal(7, saga.OneDevProjectId);
        Assert.Contains(saga.History, e => e is { Event: "upstream", Outcome: "deleted" });
        Assert.StartsWith("GitHub repository deleted; mirror kept", saga.Status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MirroredAfterTheUpstreamCameBack_RefreshesAgain()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "blocked", false, h.Clock.GetUtcNow(), 5, UpstreamGone: "blocked"));
        await h.InStateAsync(id, m => m.Completed);
        await h.PublishAndConsumeAsync(new RepositorySyncRequested(id, 42, "admin", "admin-1", h.Clock.GetUtcNow()));
        await h.InStateAsync(id, m => m.ProjectCreated);

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 2, h.Clock.GetUtcNow(), 1, 0, true, 10));

        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Null(saga.UpstreamGoneReason);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.SyncInterval, saga.NextSyncAt);
    }

    [Fact]
    public async Task RateLimitedMirror_WaitsUntilGitHubsResetWithoutSpendingARetry()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        var reset = h.Clock.GetUtcNow().AddMinutes(40);

        for (var attempt = 1; attempt <= h.Options.MaxRetries + 2; attempt++)
        {
            await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, attempt, "could not confirm GitHub repository #42: rate limited",
                true, h.Clock.GetUtcNow(), 5, RetryAt: reset));
            var waiting = h.Instance(id);
            Assert.Equal(reset, waiting.NextRetryAt);
            Assert.Equal(0, waiting.RetryCount);
            await h.PublishAndConsumeAsync(new MirrorRetryDue(id, attempt));
        }

        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Equal(h.Options.MaxRetries + 3, saga.Attempt);
        Assert.Contains(saga.History, e => e is { Event: "mirror", Outcome: "waiting" });
    }
}
