using Microsoft.Extensions.DependencyInjection;

using Microsoft.Extensions.Time.Testing;
using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.Orchestrator.Stars;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Stars;

/// <summary>The poller's rounds against the GitHub emulator, a fresh PostgreSQL database each, and the test harness.</summary>
[Trait("Category", "Integration")]
public sealed class StarPollerTests(TestServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backfill_250ExistingStars_PublishesEveryStarOverAtLeastThreePages()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repositories = StarredFixture.Star(github, 250);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        var before = github.RestRequestCount;

        var result = await host.Poller.BackfillAsync(Ct);

        var starred = host.Published<RepositoryStarred>();
        Assert.Equal(250, result.Published);
        Assert.Equal(250, starred.Count);
        Assert.Equal(250, starred.Select(m => m.MirrorId).Distinct().Count());
        Assert.All(starred, m => Assert.Equal(StarPoller.BackfillSource, m.Source));
        Assert.All(starred, m => Assert.Equal(MirrorIds.ForGitHubRepository(m.Repository.Id), m.MirrorId));
        Assert.Equal(repositories.Select(r => r.Id).Order(), starred.Select(m => m.Repository.Id).Order());
        Assert.True(github.RestRequestCount - before >= 3, $"expected at least 3 page requests, saw {github.RestRequestCount - before}");

        // Done: a second call finds no pending backfill.
        Assert.Equal(0, (await host.Poller.BackfillAsync(Ct)).Published);
    }

    [Fact]
    public async Task Poll_StarAddedWithoutWebhook_PublishedOnNextPoll()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        var added = github.CreateRepository("elsewhere", "new-star");
        var at = StarredFixture.Epoch.AddDays(1);
        github.Star(added.Id, at);

        var result = await host.Poller.PollOnceAsync(Ct);

        Assert.Equal(1, result.Published);
        var message = Assert.Single(host.Published<RepositoryStarred>(), m => m.Source == StarPoller.PollSource);
        Assert.Equal(added.Id, message.Repository.Id);
        Assert.Equal("elsewhere/new-star", message.Repository.FullName);
        Assert.Equal(MirrorIds.ForGitHubRepository(added.Id), message.MirrorId);
        Assert.Equal(at, message.StarredAt);
        Assert.Equal($"poll:{added.Id}:{at:O}", message.DeliveryId);
    }

    [Fact]
    public async Task Poll_FirstPollWithoutBackfill_PublishesEveryPageOfNewStars()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 5);
        await using var host = await StarPollerHost.StartAsync(github, await Database(), null, ("Stars:PageSize", "2"));

        var result = await host.Poller.PollOnceAsync(Ct);

        Assert.Equal(5, result.Published);
        Assert.Equal(3, result.Pages);
        Assert.Equal(5, host.Published<RepositoryStarred>().Select(m => m.MirrorId).Distinct().Count());
    }

    [Fact]
    public async Task Poll_NothingNew_PublishesNothingAndGets304()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        await host.Poller.PollOnceAsync(Ct);
        var published = host.Harness.Published.Select<object>(Ct).Count();
        var requests = github.RestRequestCount;

        var result = await host.Poller.PollOnceAsync(Ct);

        Assert.True(result.NotModified);
        Assert.Equal(0, result.Published);
        Assert.Equal(1, github.RestRequestCount - requests);
        Assert.Equal(published, host.Harness.Published.Select<object>(Ct).Count());
    }

    [Fact]
    public async Task Reconcile_Unstarred_PublishesRepositoryUnstarred()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repositories = StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        var gone = repositories[1];
        github.Unstar(gone.Id);

        Assert.Equal(0, (await host.Poller.PollOnceAsync(Ct)).Published); // an unstar leaves no trace on page 1
        var result = await host.Poller.ReconcileAsync(Ct);

        Assert.Equal(1, result.Published);
        var unstarred = Assert.Single(host.Published<RepositoryUnstarred>());
        Assert.Equal(gone.Id, unstarred.GitHubId);
        Assert.Equal(MirrorIds.ForGitHubRepository(gone.Id), unstarred.MirrorId);
        Assert.Equal(gone.FullName, unstarred.FullName);
        Assert.Equal(StarPoller.PollSource, unstarred.Source);
        Assert.Empty(host.Published<RepositoryUpstreamGone>());

        // Confirmed once: the next reconciliation has nothing to say.
        Assert.Equal(0, (await host.Poller.ReconcileAsync(Ct)).Published);
    }

    [Fact]
    public async Task Reconcile_DeletedRepository_PublishesUpstreamGoneDeletedNotUnstar()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repositories = StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        github.DeleteRepository(repositories[0].Id);

        await host.Poller.ReconcileAsync(Ct);

        var gone = Assert.Single(host.Published<RepositoryUpstreamGone>());
        Assert.Equal(repositories[0].Id, gone.GitHubId);
        Assert.Equal("deleted", gone.Reason);
        Assert.Equal(MirrorIds.ForGitHubRepository(repositories[0].Id), gone.MirrorId);
        Assert.Empty(host.Published<RepositoryUnstarred>());
    }

    [Fact]
    public async Task Reconcile_BlockedRepository_PublishesUpstreamGoneBlocked()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repositories = StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        github.BlockRepository(repositories[2].Id);
        // The emulator keeps blocked repositories in the starred list; take it out so that it goes missing.
        github.Unstar(repositories[2].Id);

        await host.Poller.ReconcileAsync(Ct);

        var gone = Assert.Single(host.Published<RepositoryUpstreamGone>());
        Assert.Equal(repositories[2].Id, gone.GitHubId);
        Assert.Equal("blocked", gone.Reason);
        Assert.Empty(host.Published<RepositoryUnstarred>());
    }

    [Fact]
    public async Task Reconcile_RenamedRepository_RepublishesStarWithNewNameAndSameMirrorId()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repositories = StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);
        var renamed = repositories[1];
        var first = Assert.Single(host.Published<RepositoryStarred>(), m => m.Repository.Id == renamed.Id);
        github.RenameRepository(renamed.Id, "new-owner", "new-name");

        var result = await host.Poller.ReconcileAsync(Ct);

        Assert.Equal(1, result.Published);
        var again = Assert.Single(host.Published<RepositoryStarred>(), m => m.Repository.Id == renamed.Id && m.Source == StarPoller.PollSource);
        Assert.Equal("new-owner/new-name", again.Repository.FullName);
        Assert.Equal("new-owner", again.Repository.Owner);
        Assert.Equal(first.MirrorId, again.MirrorId);
        Assert.NotEqual(first.DeliveryId, again.DeliveryId);
        Assert.Empty(host.Published<RepositoryUnstarred>());
        Assert.Equal(0, (await host.Poller.ReconcileAsync(Ct)).Published);
    }

    [Fact]
    public async Task Poll_RateLimited_WaitsUntilResetWithoutRequestsThenCatchesUp()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        StarredFixture.Star(github, 2);
        await using var host = await StarPollerHost.StartAsync(github, await Database(), time);
        await host.Poller.BackfillAsync(Ct);
        github.ExhaustRateLimit(TimeSpan.FromHours(1));
        var added = github.CreateRepository("late", "star");
        github.Star(added.Id, StarredFixture.Epoch.AddDays(2));

        var poll = host.Poller.PollOnceAsync(Ct);
        await Eventually.UntilAsync(() => host.Poller.RateLimitedUntil is not null, TimeSpan.FromSeconds(30), "the poller waits for the reset", Ct);
        var requests = github.RestRequestCount;
        Assert.Equal(time.GetUtcNow().AddHours(1), host.Poller.RateLimitedUntil);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(poll.IsCompleted);
        Assert.Equal(requests, github.RestRequestCount);
        Assert.DoesNotContain(host.Published<RepositoryStarred>(), m => m.Repository.Id == added.Id);

        time.Advance(TimeSpan.FromMinutes(1));
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(1, result.Published);
        Assert.Single(host.Published<RepositoryStarred>(), m => m.Repository.Id == added.Id);
        Assert.Equal(requests + 1, github.RestRequestCount);
    }

    [Fact]
    public async Task Backfill_RateLimitedMidway_ResumesAtTheSamePage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        StarredFixture.Star(github, 5);
        await using var host = await StarPollerHost.StartAsync(github, await Database(), time, ("Stars:PageSize", "2"));
        github.SecondaryRateLimitNext(1, retryAfterSeconds: 90);

        var backfill = host.Poller.BackfillAsync(Ct);
        await Eventually.UntilAsync(() => host.Poller.RateLimitedUntil is not null, TimeSpan.FromSeconds(30), "the backfill waits for retry-after", Ct);
        time.Advance(TimeSpan.FromSeconds(90));
        var result = await backfill.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(5, result.Published);
        Assert.Equal(5, host.Published<RepositoryStarred>().Select(m => m.MirrorId).Distinct().Count());
    }

    [Fact]
    public async Task RequestBackfill_AfterBackfill_PublishesEveryStarAgainWithNewDeliveryIds()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database());
        await host.Poller.BackfillAsync(Ct);

        await host.Services.GetRequiredService<IStarBackfill>().RequestBackfillAsync(Ct);
        await host.Poller.RunRoundAsync(Ct);

        var starred = host.Published<RepositoryStarred>();
        Assert.Equal(6, starred.Count);
        Assert.Equal(6, starred.Select(m => m.DeliveryId).Distinct().Count());
        Assert.Equal(3, starred.Select(m => m.MirrorId).Distinct().Count());
    }

    [Fact]
    public async Task FirstStart_BackfillOff_RecordsBaselineAndPublishesOnlyLaterStars()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 3);
        await using var host = await StarPollerHost.StartAsync(github, await Database(), null, ("Stars:BackfillOnFirstStart", "false"));

        await host.Poller.RunRoundAsync(Ct);
        Assert.Empty(host.Published<RepositoryStarred>());

        var added = github.CreateRepository("later", "star");
        github.Star(added.Id, StarredFixture.Epoch.AddDays(1));
        await host.Poller.RunRoundAsync(Ct);

        Assert.Equal(added.Id, Assert.Single(host.Published<RepositoryStarred>()).Repository.Id);
    }

    private Task<string> Database() => servers.Postgres.CreateDatabaseAsync("stars", Ct);
}
