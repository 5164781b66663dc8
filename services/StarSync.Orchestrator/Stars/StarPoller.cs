using System.Diagnostics;
using System.Globalization;

using MassTransit;

using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Star discovery without timers (GitHub sends no webhook when a user stars someone else's repository): <see cref="PollOnceAsync"/> reads page 1 of
/// <c>/user/starred</c> newest first with <c>If-None-Match</c>; <see cref="BackfillAsync"/> walks every page and resumes
/// where it stopped; <see cref="ReconcileAsync"/> lists every page and confirms each vanished star with direct lookups.
/// Every message is published (broker confirm, <c>Mandatory</c>) before the star is recorded: a crash in between
/// publishes it again, which the saga ignores as a duplicate delivery; the other order could lose a star. A rate limit
/// waits until GitHub's reset on the <see cref="TimeProvider"/> and continues from the same request. The active replica
/// is chosen by <see cref="StarPollingService"/> (one Orchestrator of several); these methods do not check it.
/// </summary>
internal sealed class StarPoller(
    IServiceProvider services,
    StarStore store,
    IBusControl bus,
    IOptions<StarPollingOptions> options,
    TimeProvider time,
    StarPollerMetrics metrics,
    ILogger<StarPoller> logger) : IStarBackfill
{
    public const string PollSource = "poll";
    public const string BackfillSource = "backfill";

    /// <summary>Never retry a rate-limited request sooner than this, whatever RetryAt says.</summary>
    private static readonly TimeSpan MinimumRateLimitWait = TimeSpan.FromSeconds(1);


    private long _rateLimitedUntilTicks;

    public bool IsAvailable => true;

    public string? UnavailableReason => null;

    /// <summary>While waiting for a rate limit to reset: until when (for tests and diagnostics).</summary>
    public DateTimeOffset? RateLimitedUntil
    {
        get
        {
            var ticks = Interlocked.Read(ref _rateLimitedUntilTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public async Task RequestBackfillAsync(CancellationToken ct)
    {
        await store.EnsureStateAsync(options.Value.BackfillOnFirstStart, ct);
        await store.RequestBackfillAsync(time.GetUtcNow(), ct);
        logger.BackfillRequested();
    }

    /// <summary>One round of the active poller: the pending backfill, else a poll; then a reconciliation when due.</summary>
    public async Task RunRoundAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await store.EnsureStateAsync(settings.BackfillOnFirstStart, ct);
        var state = await store.GetStateAsync(ct);
        if (state.BackfillRequested)
        {
            await BackfillAsync(ct);
        }
        else
        {
            await PollOnceAsync(ct);
        }

        state = await store.GetStateAsync(ct);
        if (state.ReconcileDue(time.GetUtcNow(), settings.ReconcileInterval))
        {
            await ReconcileAsync(ct);
        }
    }

    /// <summary>
    /// Page 1 with the stored ETag (304: nothing new). Publishes each star not recorded yet (or starred again since),
    /// stops at the first recorded star at or below the watermark, and reads the next page only while a whole page was
    /// new. The ETag is stored once the whole poll succeeded.
    /// </summary>
    public async Task<StarRoundResult> PollOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await store.EnsureStateAsync(settings.BackfillOnFirstStart, ct);
        var state = await store.GetStateAsync(ct);
        var github = GitHub();
        var page = 1;
        var pages = 0;
        var published = 0;
        string? page1ETag = null;
        var notModified = false;
        var newestStar = state.Watermark;
        while (true)
        {
            var current = page;
            var result = await CallAsync(c => github.GetStarredPageAsync(current, settings.PageSize, current == 1 ? state.Page1ETag : null, c), ct);
            pages++;
            if (current == 1)
            {
                page1ETag = result.ETag ?? state.Page1ETag;
                notModified = result.NotModified;
                if (result.Items.Count > 0)
                {
                    newestStar = result.Items.Max(i => i.StarredAt);
                }
                if (result.NotModified && result.Items.Count == 0)
                {
                    logger.NotModified();
                    break;
                }
            }

            var known = await store.GetKnownAsync([.. result.Items.Select(i => i.Repository.Id)], ct);
            var wholePageNew = result.Items.Count > 0;
            var reachedKnown = false;
            foreach (var item in result.Items)
            {
                if (known.TryGetValue(item.Repository.Id, out var row) && item.StarredAt <= row.StarredAt)
                {
                    wholePageNew = false;
                    if (state.Watermark is null || item.StarredAt <= state.Watermark)
                    {
                        reachedKnown = true;
                        break;
                    }

                    continue;
                }

                await PublishStarAsync(item, PollSource, PollDeliveryId(item), ct);
                published++;
            }

            if (reachedKnown || !wholePageNew || result.NextPage is not int next)
            {
                break;
            }

            page = next;
        }

        await store.SavePollAsync(page1ETag, time.GetUtcNow(), ct);
        metrics.Polled(time.GetUtcNow(), newestStar);
        if (notModified && published == 0)
        {
            logger.NotModified();
        }
        else
        {
            logger.PollDone(published, pages);
        }

        return new StarRoundResult(published, pages, notModified);
    }

    /// <summary>
    /// When a backfill is pending: every page from the stored position, each star published (Source <c>backfill</c>;
    /// only recorded for the first-start baseline) and recorded; the position is stored after each page, so a restart
    /// resumes there. Completion asks for a reconciliation.
    /// </summary>
    public async Task<StarRoundResult> BackfillAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await store.EnsureStateAsync(settings.BackfillOnFirstStart, ct);
        var state = await store.GetStateAsync(ct);
        if (!state.BackfillRequested)
        {
            return new StarRoundResult(0, 0, false);
        }

        var github = GitHub();
        var page = state.BackfillNextPage ?? 1;
        var request = state.BackfillRequestedAt is { } at ? at.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) : "initial";
        logger.BackfillStarted(page, state.BackfillPublishes);
        var stars = 0;
        var pages = 0;
        while (true)
        {
            var current = page;
            var result = await CallAsync(c => github.GetStarredPageAsync(current, settings.PageSize, null, c), ct);
            pages++;
            foreach (var item in result.Items)
            {
                if (state.BackfillPublishes)
                {
                    await PublishStarAsync(item, BackfillSource, string.Create(CultureInfo.InvariantCulture, $"backfill:{request}:{item.Repository.Id}"), ct);
                }
                else
                {
                    await store.RecordStarAsync(item.Repository, item.StarredAt, time.GetUtcNow(), ct);
                }

                stars++;
            }

            if (result.Items.Count == 0 || result.NextPage is not int next)
            {
                break;
            }

            await store.SaveBackfillPositionAsync(next, ct);
            page = next;
        }

        await store.CompleteBackfillAsync(time.GetUtcNow(), ct);
        logger.BackfillCompleted(stars, pages, state.BackfillPublishes);
        return new StarRoundResult(state.BackfillPublishes ? stars : 0, pages, false);
    }

    /// <summary>
    /// Lists every page. Stars not recorded (or starred again) are published; a recorded star whose <c>full_name</c>
    /// changed (rename or transfer: same id) is published again with the new names. A recorded star missing from the
    /// list is confirmed by <c>GET /repositories/{id}</c>: found and <c>GET /user/starred/{owner}/{name}</c> 404 →
    /// <see cref="RepositoryUnstarred"/>; 404 → <see cref="RepositoryUpstreamGone"/> <c>deleted</c> (<c>inaccessible</c>
    /// if it was private); 451 → <c>blocked</c>. Anything unconfirmed (errors) stays for the next reconciliation.
    /// </summary>
    public async Task<StarRoundResult> ReconcileAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await store.EnsureStateAsync(settings.BackfillOnFirstStart, ct);
        var github = GitHub();
        var listed = new Dictionary<long, StarredRepository>();
        var pages = 0;
        for (int? page = 1; page is int current;)
        {
            var result = await CallAsync(c => github.GetStarredPageAsync(current, settings.PageSize, null, c), ct);
            pages++;
            foreach (var item in result.Items)
            {
                listed.TryAdd(item.Repository.Id, item);
            }

            page = result.Items.Count == 0 ? null : result.NextPage;
        }

        var known = await store.GetAllAsync(ct);
        var published = 0;
        foreach (var item in listed.Values.OrderBy(i => i.StarredAt))
        {
            var repository = item.Repository;
            if (!known.TryGetValue(repository.Id, out var row) || item.StarredAt > row.StarredAt)
            {
                await PublishStarAsync(item, PollSource, PollDeliveryId(item), ct);
                published++;
            }
            else if (!string.Equals(row.FullName, repository.FullName, StringComparison.Ordinal))
            {
                var deliveryId = string.Create(CultureInfo.InvariantCulture, $"rename:{repository.Id}:{repository.FullName}");
                await PublishStarAsync(item, PollSource, deliveryId, ct);
                logger.RenamePublished(row.FullName, repository.Id, repository.FullName, MirrorIds.ForGitHubRepository(repository.Id));
                published++;
            }
            else if (row.Private != repository.Private)
            {
                await store.RecordStarAsync(repository, row.StarredAt, time.GetUtcNow(), ct);
            }
        }

        await store.TouchSeenAsync(listed.Keys, time.GetUtcNow(), ct);
        var missing = known.Values.Where(r => !listed.ContainsKey(r.GitHubId)).OrderBy(r => r.GitHubId).ToList();
        foreach (var row in missing)
        {
            published += await ConfirmGoneAsync(github, row, ct);
        }

        await store.SaveReconciledAsync(time.GetUtcNow(), ct);
        logger.Reconciled(listed.Count, missing.Count, published);
        return new StarRoundResult(published, pages, false);
    }

    private async Task<int> ConfirmGoneAsync(GitHubClient github, StarredRow row, CancellationToken ct)
    {
        var mirrorId = MirrorIds.ForGitHubRepository(row.GitHubId);
        RepositoryLookup lookup;
        bool? starred = null;
        try
        {
            lookup = await CallAsync(c => github.GetRepositoryAsync(row.GitHubId, c), ct);
            if (lookup.Status is RepositoryLookupStatus.Found or RepositoryLookupStatus.Moved)
            {
                var repository = lookup.Repository!;
                starred = await CallAsync(c => github.IsStarredAsync(repository.Owner, repository.Name, c), ct);
            }
        }
        catch (GitHubException e)
        {
            logger.Unconfirmed(row.FullName, row.GitHubId, e.Message);
            return 0;
        }

        string? gone = null;
        switch (lookup.Status)
        {
            case RepositoryLookupStatus.Found or RepositoryLookupStatus.Moved:
                var fullName = lookup.Repository!.FullName;
                if (starred == true)
                {
                    logger.StillStarred(fullName, row.GitHubId);
                    return 0;
                }

                if (starred is null)
                {
                    logger.Unconfirmed(fullName, row.GitHubId, "GitHub neither confirmed nor denied the star");
                    return 0;
                }

                var now = time.GetUtcNow();
                var deliveryId = string.Create(CultureInfo.InvariantCulture, $"unstar:{row.GitHubId}:{row.StarredAt.ToUniversalTime():O}");
                await PublishAsync(new RepositoryUnstarred(mirrorId, row.GitHubId, fullName, now, PollSource, deliveryId), ct);
                await store.DeleteAsync(row.GitHubId, ct);
                logger.UnstarPublished(fullName, row.GitHubId, mirrorId);
                return 1;
            case RepositoryLookupStatus.NotFound:
                // 404 is also what a private repository the token can no longer read answers.
                gone = row.Private ? "inaccessible" : "deleted";
                break;
            case RepositoryLookupStatus.Blocked:
                gone = "blocked";
                break;
        }

        if (gone is null)
        {
            return 0;
        }

        await PublishAsync(new RepositoryUpstreamGone(mirrorId, row.GitHubId, gone, time.GetUtcNow()), ct);
        await store.DeleteAsync(row.GitHubId, ct);
        logger.UpstreamGonePublished(row.FullName, row.GitHubId, gone, mirrorId);
        return 1;
    }

    private async Task PublishStarAsync(StarredRepository item, string source, string deliveryId, CancellationToken ct)
    {
        var mirrorId = MirrorIds.ForGitHubRepository(item.Repository.Id);
        // A star found by polling starts a sync like a webhook does: the root of that sync's trace, not a part of the
        // round that found it.
        Activity.Current = null;
        using var activity = StarSyncTelemetry.Source.StartActivity("star discovered", ActivityKind.Producer);
        activity?.SetTag("starsync.star.source", source);
        activity?.SetTag("github.repository.id", item.Repository.Id);
        activity?.SetTag("starsync.mirror.id", mirrorId);
        await PublishAsync(new RepositoryStarred(mirrorId, item.Repository, item.StarredAt, source, deliveryId), ct);
        await store.RecordStarAsync(item.Repository, item.StarredAt, time.GetUtcNow(), ct);
        logger.StarPublished(item.Repository.FullName, item.Repository.Id, item.StarredAt, source, mirrorId);
    }

    /// <summary>Publishes and waits for the broker's confirm (see <see cref="ConfirmedPublish"/>); throws otherwise.</summary>
    private async Task PublishAsync<T>(T message, CancellationToken ct)
        where T : class
    {
        var timeout = options.Value.PublishTimeout;
        var (result, error) = await bus.PublishConfirmedAsync(bus, message, timeout, time, ct);
        ct.ThrowIfCancellationRequested();
        if (result == ConfirmedPublishResult.TimedOut)
        {
            logger.PublishTimedOut(typeof(T).Name, timeout);
        }
        if (result != ConfirmedPublishResult.Confirmed)
        {
            throw new InvalidOperationException($"RabbitMQ did not take a {typeof(T).Name} ({result}).", error);
        }
    }

    /// <summary>Runs a GitHub call; on a rate limit waits until GitHub's RetryAt (never sooner than a second) and repeats it.</summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await call(ct);
            }
            catch (GitHubRateLimitedException e)
            {
                var wait = e.RetryAt - time.GetUtcNow();
                if (wait < MinimumRateLimitWait)
                {
                    wait = MinimumRateLimitWait;
                }

                var until = time.GetUtcNow() + wait;
                logger.RateLimited(e.IsSecondary, until);
                Interlocked.Exchange(ref _rateLimitedUntilTicks, until.UtcTicks);
                try
                {
                    await Task.Delay(wait, time, ct);
                }
                finally
                {
                    Interlocked.Exchange(ref _rateLimitedUntilTicks, 0);
                }
            }
        }
    }

    private static string PollDeliveryId(StarredRepository item) =>
        string.Create(CultureInfo.InvariantCulture, $"poll:{item.Repository.Id}:{item.StarredAt.ToUniversalTime():O}");

    /// <summary>The client is transient and cheap (it wraps the shared connections, token provider and rate-limit gate): one per operation, not captured.</summary>
    private GitHubClient GitHub() => services.GetRequiredService<GitHubClient>();
}
