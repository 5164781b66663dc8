using Microsoft.EntityFrameworkCore;

using Npgsql;

using StarSync.Contracts;
using StarSync.Orchestrator.Data;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// The star poller's state in the Orchestrator's database, in two tables of its EF model (created and changed by its
/// migrations, like every other table; see <see cref="StarStateMap"/> and <see cref="StarredRowMap"/>):
/// <list type="bullet">
/// <item><c>star_poll_state</c>: one row (<c>id = 1</c>), <see cref="StarState"/>.</item>
/// <item><c>starred</c>: one row per star known to be published, <see cref="StarredRow"/>.</item>
/// </list>
/// Reads and plain updates go through EF; the two upserts are SQL (<c>ON CONFLICT</c>), and the poller's lock session
/// is a connection of its own (<see cref="OpenSessionAsync"/>).
/// </summary>
internal sealed class StarStore(IDbContextFactory<OrchestratorDbContext> contexts)
{
    // Advisory lock keys share one number space per database with the migration lock ("SSmigrat"): each key is
    // eight ASCII letters naming its use, so they cannot collide by accident.

    /// <summary>Held by the active poller on its own session (<c>pg_try_advisory_lock</c>): "SSpoller" in ASCII.</summary>
    public const long PollerLockKey = 0x5353_706F_6C6C_6572;

    /// <summary>The state row, if there is none yet. First start: a backfill that publishes, or a baseline that only records.</summary>
    public async Task EnsureStateAsync(bool backfillOnFirstStart, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO star_poll_state (id, backfill_requested, backfill_publishes, reconcile_requested)
            VALUES ({StarState.SingleRowId}, true, {backfillOnFirstStart}, false)
            ON CONFLICT (id) DO NOTHING
            """, ct);
    }

    public async Task<StarState> GetStateAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.StarState.AsNoTracking().SingleOrDefaultAsync(s => s.Id == StarState.SingleRowId, ct)
            ?? throw new InvalidOperationException("star_poll_state has no row; call EnsureStateAsync first.");
    }

    /// <summary>The recorded stars among <paramref name="ids"/>.</summary>
    public async Task<Dictionary<long, StarredRow>> GetKnownAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var wanted = ids.ToArray();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Starred.AsNoTracking().Where(r => wanted.Contains(r.GitHubId)).ToDictionaryAsync(r => r.GitHubId, ct);
    }

    public async Task<Dictionary<long, StarredRow>> GetAllAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Starred.AsNoTracking().ToDictionaryAsync(r => r.GitHubId, ct);
    }

    /// <summary>Records (or updates) a star after its publish was confirmed, and raises the watermark.</summary>
    public async Task RecordStarAsync(GitHubRepository repository, DateTimeOffset starredAt, DateTimeOffset seenAt, CancellationToken ct)
    {
        var at = starredAt.ToUniversalTime();
        var seen = seenAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO starred (github_id, full_name, starred_at, last_seen_at, private)
            VALUES ({repository.Id}, {repository.FullName}, {at}, {seen}, {repository.Private})
            ON CONFLICT (github_id) DO UPDATE
                SET full_name = EXCLUDED.full_name, starred_at = EXCLUDED.starred_at, last_seen_at = EXCLUDED.last_seen_at, private = EXCLUDED.private;
            UPDATE star_poll_state SET watermark = GREATEST(watermark, {at}) WHERE id = {StarState.SingleRowId};
            """, ct);
    }

    public async Task TouchSeenAsync(IReadOnlyCollection<long> ids, DateTimeOffset seenAt, CancellationToken ct)
    {
        var wanted = ids.ToArray();
        var seen = seenAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Starred.Where(r => wanted.Contains(r.GitHubId)).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeenAt, seen), ct);
    }

    public async Task DeleteAsync(long gitHubId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Starred.Where(r => r.GitHubId == gitHubId).ExecuteDeleteAsync(ct);
    }

    /// <summary>A complete poll: remembers page 1's ETag for the next <c>If-None-Match</c>.</summary>
    public async Task SavePollAsync(string? page1ETag, DateTimeOffset polledAt, CancellationToken ct)
    {
        var at = polledAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await State(db).ExecuteUpdateAsync(s => s.SetProperty(x => x.Page1ETag, page1ETag).SetProperty(x => x.LastPolledAt, at), ct);
    }

    public async Task SaveBackfillPositionAsync(int nextPage, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await State(db).ExecuteUpdateAsync(s => s.SetProperty(x => x.BackfillNextPage, nextPage), ct);
    }

    /// <summary>Ends the backfill and asks for a reconciliation (stars removed while the pages were walked).</summary>
    public async Task CompleteBackfillAsync(DateTimeOffset completedAt, CancellationToken ct)
    {
        var at = completedAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await State(db).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.BackfillRequested, false)
            .SetProperty(x => x.BackfillNextPage, (int?)null)
            .SetProperty(x => x.BackfillCompletedAt, at)
            .SetProperty(x => x.ReconcileRequested, true), ct);
    }

    /// <summary>Asks whichever Orchestrator is the active poller to publish every star again (from page 1).</summary>
    public async Task RequestBackfillAsync(DateTimeOffset requestedAt, CancellationToken ct)
    {
        var at = requestedAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO star_poll_state (id, backfill_requested, backfill_publishes, backfill_requested_at, reconcile_requested)
            VALUES ({StarState.SingleRowId}, true, true, {at}, false)
            ON CONFLICT (id) DO UPDATE
                SET backfill_requested = true, backfill_publishes = true, backfill_requested_at = EXCLUDED.backfill_requested_at, backfill_next_page = NULL
            """, ct);
    }

    public async Task SaveReconciledAsync(DateTimeOffset reconciledAt, CancellationToken ct)
    {
        var at = reconciledAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await State(db).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastReconciledAt, at).SetProperty(x => x.ReconcileRequested, false), ct);
    }

    /// <summary>A new, unpooled connection: its session ends (and its advisory locks go) when it is disposed.</summary>
    public async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken ct)
    {
        string connectionString;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The Orchestrator's database context has no connection string.");
        }
        // The lock connection must not go back to a pool: closing it has to end the session, which frees the lock.
        var session = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "StarSync.Orchestrator star poller",
        }.ConnectionString);
        try
        {
            await session.OpenAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static IQueryable<StarState> State(OrchestratorDbContext db) => db.StarState.Where(s => s.Id == StarState.SingleRowId);
}
