using Npgsql;

using NpgsqlTypes;

using StarSync.Contracts;

namespace StarSync.Ingress.Stars;

/// <summary>
/// The star poller's state in PostgreSQL (<c>ConnectionStrings:postgres</c>, the Orchestrator's database). Ingress
/// owns two tables there, created idempotently (<c>CREATE TABLE IF NOT EXISTS</c> under an advisory lock) on first use:
/// <list type="bullet">
/// <item><c>ingress_star_state</c>: one row (<c>id = 1</c>). <c>page1_etag</c> (ETag of page 1 after the last complete
/// poll, sent as <c>If-None-Match</c>), <c>watermark</c> (newest <c>starred_at</c> recorded), <c>backfill_requested</c>,
/// <c>backfill_publishes</c> (false: first-start baseline that records without publishing),
/// <c>backfill_requested_at</c>, <c>backfill_next_page</c> (where an interrupted backfill resumes),
/// <c>backfill_completed_at</c>, <c>last_polled_at</c>, <c>last_reconciled_at</c>, <c>reconcile_requested</c>.</item>
/// <item><c>ingress_starred</c>: one row per star known to be published. <c>github_id</c> (PK, GitHub's repository id),
/// <c>full_name</c> (last seen <c>owner/name</c>), <c>starred_at</c>, <c>last_seen_at</c> (last listing that
/// contained it), <c>private</c> (a private repository that vanishes is reported <c>inaccessible</c>).</item>
/// </list>
/// </summary>
internal sealed class StarStore : IAsyncDisposable
{
    // Advisory lock keys share one number space per database with the Orchestrator's (its migration lock is
    // "SSmigrat"): each key is eight ASCII letters naming its use, so they cannot collide by accident.

    /// <summary>Held by the active poller on its own session (<c>pg_try_advisory_lock</c>): "SSpoller" in ASCII.</summary>
    public const long PollerLockKey = 0x5353_706F_6C6C_6572;

    /// <summary>Serialises the <c>CREATE TABLE IF NOT EXISTS</c> of concurrent replicas (transaction-scoped): "SSpollsc".</summary>
    private const long SchemaLockKey = 0x5353_706F_6C6C_7363;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS ingress_star_state (
            id smallint PRIMARY KEY CHECK (id = 1),
            page1_etag text NULL,
            watermark timestamptz NULL,
            backfill_requested boolean NOT NULL DEFAULT false,
            backfill_publishes boolean NOT NULL DEFAULT true,
            backfill_requested_at timestamptz NULL,
            backfill_next_page integer NULL,
            backfill_completed_at timestamptz NULL,
            last_polled_at timestamptz NULL,
            last_reconciled_at timestamptz NULL,
            reconcile_requested boolean NOT NULL DEFAULT false
        );
        CREATE TABLE IF NOT EXISTS ingress_starred (
            github_id bigint PRIMARY KEY,
            full_name text NOT NULL,
            starred_at timestamptz NOT NULL,
            last_seen_at timestamptz NOT NULL,
            private boolean NOT NULL DEFAULT false
        );
        """;

    private readonly NpgsqlDataSource _pooled;
    private readonly NpgsqlDataSource _unpooled;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public StarStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _pooled = NpgsqlDataSource.Create(connectionString);
        // The lock connection must not go back to a pool: closing it has to end the session, which frees the lock.
        _unpooled = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString);
    }

    /// <summary>Creates the tables if needed (once per process) and the state row if there is none.</summary>
    public async Task EnsureCreatedAsync(bool backfillOnFirstStart, CancellationToken ct)
    {
        if (!_schemaReady)
        {
            await _schemaGate.WaitAsync(ct);
            try
            {
                if (!_schemaReady)
                {
                    await using var connection = await _pooled.OpenConnectionAsync(ct);
                    await using var tx = await connection.BeginTransactionAsync(ct);
                    await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, tx))
                    {
                        lockCommand.Parameters.AddWithValue("key", SchemaLockKey);
                        await lockCommand.ExecuteNonQueryAsync(ct);
                    }

                    await using (var create = new NpgsqlCommand(Schema, connection, tx))
                    {
                        await create.ExecuteNonQueryAsync(ct);
                    }

                    await tx.CommitAsync(ct);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaGate.Release();
            }
        }

        // First start: a backfill that publishes, or a baseline that only records (BackfillOnFirstStart = false).
        await ExecuteAsync(
            "INSERT INTO ingress_star_state (id, backfill_requested, backfill_publishes) VALUES (1, true, @publishes) ON CONFLICT (id) DO NOTHING",
            ct,
            ("publishes", backfillOnFirstStart));
    }

    public async Task<StarState> GetStateAsync(CancellationToken ct)
    {
        await using var command = _pooled.CreateCommand("""
            SELECT page1_etag, watermark, backfill_requested, backfill_publishes, backfill_requested_at, backfill_next_page,
                   backfill_completed_at, last_polled_at, last_reconciled_at, reconcile_requested
            FROM ingress_star_state WHERE id = 1
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("ingress_star_state has no row; call EnsureCreatedAsync first.");
        }

        return new StarState(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            NullableTime(reader, 1),
            reader.GetBoolean(2),
            reader.GetBoolean(3),
            NullableTime(reader, 4),
            reader.IsDBNull(5) ? null : reader.GetInt32(5),
            NullableTime(reader, 6),
            NullableTime(reader, 7),
            NullableTime(reader, 8),
            reader.GetBoolean(9));
    }

    /// <summary>The recorded stars among <paramref name="ids"/>.</summary>
    public Task<Dictionary<long, StarredRow>> GetKnownAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        ReadRowsAsync("SELECT github_id, full_name, starred_at, private FROM ingress_starred WHERE github_id = ANY(@ids)", ct, ids.ToArray());

    public Task<Dictionary<long, StarredRow>> GetAllAsync(CancellationToken ct) =>
        ReadRowsAsync("SELECT github_id, full_name, starred_at, private FROM ingress_starred", ct, null);

    /// <summary>Records (or updates) a star after its publish was confirmed, and raises the watermark.</summary>
    public Task RecordStarAsync(GitHubRepository repository, DateTimeOffset starredAt, DateTimeOffset seenAt, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO ingress_starred (github_id, full_name, starred_at, last_seen_at, private)
            VALUES (@id, @name, @at, @seen, @private)
            ON CONFLICT (github_id) DO UPDATE
                SET full_name = EXCLUDED.full_name, starred_at = EXCLUDED.starred_at, last_seen_at = EXCLUDED.last_seen_at, private = EXCLUDED.private;
            UPDATE ingress_star_state SET watermark = GREATEST(watermark, @at) WHERE id = 1;
            """,
            ct,
            ("id", repository.Id),
            ("name", repository.FullName),
            ("at", starredAt.ToUniversalTime()),
            ("seen", seenAt.ToUniversalTime()),
            ("private", repository.Private));

    public Task TouchSeenAsync(IReadOnlyCollection<long> ids, DateTimeOffset seenAt, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingress_starred SET last_seen_at = @seen WHERE github_id = ANY(@ids)", ct,
            ("seen", seenAt.ToUniversalTime()), ("ids", ids.ToArray()));

    public Task DeleteAsync(long gitHubId, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM ingress_starred WHERE github_id = @id", ct, ("id", gitHubId));

    /// <summary>A complete poll: remembers page 1's ETag for the next <c>If-None-Match</c>.</summary>
    public Task SavePollAsync(string? page1ETag, DateTimeOffset polledAt, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingress_star_state SET page1_etag = @etag, last_polled_at = @at WHERE id = 1", ct,
            ("etag", (object?)page1ETag ?? DBNull.Value), ("at", polledAt.ToUniversalTime()));

    public Task SaveBackfillPositionAsync(int nextPage, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingress_star_state SET backfill_next_page = @page WHERE id = 1", ct, ("page", nextPage));

    /// <summary>Ends the backfill and asks for a reconciliation (stars removed while the pages were walked).</summary>
    public Task CompleteBackfillAsync(DateTimeOffset completedAt, CancellationToken ct) =>
        ExecuteAsync("""
            UPDATE ingress_star_state
            SET backfill_requested = false, backfill_next_page = NULL, backfill_completed_at = @at, reconcile_requested = true
            WHERE id = 1
            """,
            ct,
            ("at", completedAt.ToUniversalTime()));

    /// <summary>Asks whichever replica is active to publish every star again (from page 1).</summary>
    public Task RequestBackfillAsync(DateTimeOffset requestedAt, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO ingress_star_state (id, backfill_requested, backfill_publishes, backfill_requested_at)
            VALUES (1, true, true, @at)
            ON CONFLICT (id) DO UPDATE
                SET backfill_requested = true, backfill_publishes = true, backfill_requested_at = @at, backfill_next_page = NULL
            """,
            ct,
            ("at", requestedAt.ToUniversalTime()));

    public Task SaveReconciledAsync(DateTimeOffset reconciledAt, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingress_star_state SET last_reconciled_at = @at, reconcile_requested = false WHERE id = 1", ct,
            ("at", reconciledAt.ToUniversalTime()));

    /// <summary>A new, unpooled connection: its session ends (and its advisory locks go) when it is disposed.</summary>
    public async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken ct) => await _unpooled.OpenConnectionAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _pooled.DisposeAsync();
        await _unpooled.DisposeAsync();
        _schemaGate.Dispose();
    }

    private async Task<Dictionary<long, StarredRow>> ReadRowsAsync(string sql, CancellationToken ct, long[]? ids)
    {
        await using var command = _pooled.CreateCommand(sql);
        if (ids is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        }

        var rows = new Dictionary<long, StarredRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new StarredRow(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3));
            rows[row.GitHubId] = row;
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = _pooled.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
