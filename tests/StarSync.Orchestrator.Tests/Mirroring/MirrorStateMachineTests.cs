using MassTransit;
using StarSync.Contracts;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class MirrorStateMachineTests
{
    [Fact]
    public async Task Starred_WhenNew_CreatesProjectFirst()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = NewId.NextGuid();

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "delivery-1"));

        var saga = await h.InStateAsync(id, m => m.Pending);
        Assert.True(await h.WasPublishedAsync<CreateOneDevProject>(m => m.MirrorId == id && m.Attempt == 1));
        Assert.Equal("octo/hello", saga.FullName);
        Assert.Equal(42, saga.GitHubId);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.ProjectDeadline, saga.DeadlineAt);
        Assert.Equal(saga.DeadlineAt, saga.DueAt);
        Assert.Contains(saga.History, e => e is { Event: "star", Outcome: "accepted", DeliveryId: "delivery-1" });
    }

    [Fact]
    public async Task HappyPath_ProjectThenWorker_EndsCompleted()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 1 && m.OneDevProjectId == 7));
        await h.PublishAndConsumeAsync(new RepositoryMirrorStarted(id, 1, "worker-a", h.Clock.GetUtcNow()));
        var mirroring = await h.InStateAsync(id, m => m.Mirroring);
        Assert.Equal("worker-a", mirroring.LastWorker);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.MirrorDeadline, mirroring.DeadlineAt);

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 3, 2, true, 1500));
        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Equal("Mirrored 3 branches and 2 tags", saga.Status);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.SyncInterval, saga.NextSyncAt);
        Assert.Equal(saga.NextSyncAt, saga.DueAt);
        Assert.Equal(7, saga.OneDevProjectId);
        Assert.Contains(saga.History, e => e is { Event: "mirror", Outcome: "completed", DurationMs: 1500 });
    }

    [Fact]
    public async Task Starred_WhenCompleted_RecordsTheEventAndDoesNotMirrorAgain()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 0, true, 10));
        await h.InStateAsync(id, m => m.Completed);

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "delivery-2"));

        var saga = await h.InStateAsync(id, m => m.Completed);
        Assert.Contains(saga.History, e => e is { Event: "star", Outcome: "ignored", DeliveryId: "delivery-2" });
        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id));
        Assert.Equal(1, h.PublishedCount<CreateOneDevProject>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task Starred_WhileMirroring_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorStarted(id, 1, "worker-a", h.Clock.GetUtcNow()));
        await h.InStateAsync(id, m => m.Mirroring);

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id));

        var saga = await h.InStateAsync(id, m => m.Mirroring);
        Assert.Equal(1, saga.Attempt);
        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task DuplicateFirstStar_WhilePending_CreatesOneProjectCommand()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = NewId.NextGuid();
        var star = MirrorSagaHarness.Star(id, "same-delivery");

        await h.PublishAndConsumeAsync(star);
        await h.InStateAsync(id, m => m.Pending);
        await h.PublishAndConsumeAsync(star with { Source = "poll" });

        Assert.Equal(1, h.PublishedCount<CreateOneDevProject>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task TransientMirrorFailure_SchedulesRetryWithBackoff()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "GitHub answered 502", true, h.Clock.GetUtcNow(), 10));

        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Equal(1, saga.RetryCount);
        Assert.Equal("GitHub answered 502", saga.LastError);
        Assert.NotNull(saga.NextRetryAt);
        var delay = saga.NextRetryAt!.Value - h.Clock.GetUtcNow();
        Assert.InRange(delay, h.Options.RetryBaseDelay * 0.8, h.Options.RetryBaseDelay * 1.2);
        Assert.Equal(saga.NextRetryAt, saga.DueAt);
        Assert.Null(saga.DeadlineAt);
    }

    [Fact]
    public async Task RetryDue_SendsTheNextAttempt()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "timeout", true, h.Clock.GetUtcNow(), 10));
        h.Clock.Advance(TimeSpan.FromMinutes(1));

        await h.PublishAndConsumeAsync(new MirrorRetryDue(id, 1));

        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Equal(2, saga.Attempt);
        Assert.Null(saga.NextRetryAt);
        Assert.Equal(h.Clock.GetUtcNow() + h.Options.QueueDeadline, saga.DeadlineAt);
    }

    [Fact]
    public async Task RetryDue_ForAnOldAttempt_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "timeout", true, h.Clock.GetUtcNow(), 10));
        await h.PublishAndConsumeAsync(new MirrorRetryDue(id, 1));
        await h.PublishAndConsumeAsync(new MirrorRetryDue(id, 1));

        Assert.Equal(2, h.Instance(id).Attempt);
        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
        Assert.Equal(0, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 3));
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnceWithTheReason()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "OneDev rejected the access token", false, h.Clock.GetUtcNow(), 10));

        var saga = await h.InStateAsync(id, m => m.Failed);
        Assert.Equal("OneDev rejected the access token", saga.LastError);
        Assert.Equal("Failed: OneDev rejected the access token", saga.Status);
        Assert.Null(saga.DueAt);
    }

    [Fact]
    public async Task TransientFailures_BeyondMaxRetries_Fail()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        for (var attempt = 1; attempt <= h.Options.MaxRetries; attempt++)
        {
            await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, attempt, "connection reset", true, h.Clock.GetUtcNow(), 10));
            await h.PublishAndConsumeAsync(new MirrorRetryDue(id, attempt));
        }
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, h.Options.MaxRetries + 1, "connection reset", true, h.Clock.GetUtcNow(), 10));

        var saga = await h.InStateAsync(id, m => m.Failed);
        Assert.Equal(h.Options.MaxRetries + 1, saga.RetryCount);
        Assert.Contains("gave up after 2 retries", saga.LastError);
    }

    [Fact]
    public async Task FaultOfMirrorCommand_CountsAsTransientFailure()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        var command = new MirrorRepository(id, 1, MirrorSagaHarness.Repository(), 7, "http://onedev/octo-hello.git");

        var fault = new MassTransit.Events.FaultEvent<MirrorRepository>(command, NewId.NextGuid(), h.Harness.Bus.Address is null ? null! : MassTransit.Metadata.HostMetadataCache.Host,
            new IOException("disk full"), ["urn:message:StarSync.Contracts:MirrorRepository"]);

        await h.Harness.Bus.Publish<Fault<MirrorRepository>>(fault, TestContext.Current.CancellationToken);

        Assert.True(await h.Harness.Consumed.Any<Fault<MirrorRepository>>(TestContext.Current.CancellationToken));
        var saga = h.Instance(id);
        Assert.Equal(1, saga.RetryCount);
        Assert.Equal("System.IO.IOException: disk full", saga.LastError);
        Assert.NotNull(saga.NextRetryAt);
    }

    [Fact]
    public async Task Starred_WhenFailed_StartsAFreshSync()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "repository not found", false, h.Clock.GetUtcNow(), 10));
        await h.InStateAsync(id, m => m.Failed);

        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "delivery-new"));

        // The project is known, so the fresh sync goes straight to the mirror step with the next attempt.
        var saga = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Equal(2, saga.Attempt);
        Assert.Equal(0, saga.RetryCount);
        Assert.Null(saga.LastError);
        Assert.True(await h.WasPublishedAsync<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 2));
    }

    [Fact]
    public async Task RedeliveredStar_WhenFailed_DoesNotRestart()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = NewId.NextGuid();
        var star = MirrorSagaHarness.Star(id, "delivery-once");
        await h.PublishAndConsumeAsync(star);
        await h.PublishAndConsumeAsync(new OneDevProjectCreationFailed(id, 1, "OneDev rejected the token", false, h.Clock.GetUtcNow()));
        await h.InStateAsync(id, m => m.Failed);

        await h.PublishAndConsumeAsync(star with { StarredAt = star.StarredAt.AddSeconds(1) });

        Assert.Equal("Failed", h.Instance(id).CurrentState);
        Assert.Equal(1, h.PublishedCount<CreateOneDevProject>(m => m.MirrorId == id));
    }

    [Fact]
    public async Task DeadlinePassed_WhileQueued_ResendsTheSameAttempt()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        h.Clock.Advance(h.Options.QueueDeadline + TimeSpan.FromSeconds(1));
        var saga = h.Instance(id);

        await h.PublishAndConsumeAsync(new MirrorDeadlinePassed(id, saga.Version));

        Assert.Equal(2, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id && m.Attempt == 1));
        Assert.Equal(1, h.Instance(id).RedriveCount);
        Assert.Contains(h.Instance(id).History, e => e is { Event: "redrive", Outcome: "sent" });
    }

    [Fact]
    public async Task DeadlinePassed_BeforeTheDeadline_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();

        await h.PublishAndConsumeAsync(new MirrorDeadlinePassed(id, h.Instance(id).Version));

        Assert.Equal(1, h.PublishedCount<MirrorRepository>(m => m.MirrorId == id));
        Assert.Equal(0, h.Instance(id).RedriveCount);
    }

    [Fact]
    public async Task StaleMirroredResult_FromAnEarlierAttempt_IsIgnored()
    {
        await using var h = await MirrorSagaHarness.StartAsync();
        var id = await h.StartMirrorAsync();
        await h.PublishAndConsumeAsync(new RepositoryMirrorFailed(id, 1, "timeout", true, h.Clock.GetUtcNow(), 10));
        await h.PublishAndConsumeAsync(new MirrorRetryDue(id, 1));

        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 1, 1, true, 5));

        Assert.Equal("ProjectCreated", h.Instance(id).CurrentState);
    }
}
