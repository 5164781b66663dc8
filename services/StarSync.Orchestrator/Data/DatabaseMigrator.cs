using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace StarSync.Orchestrator.Data;

/// <summary>
/// Applies EF migrations before anything else starts (it is registered before the bus). Several Orchestrators may
/// start together: a PostgreSQL advisory lock, held on a dedicated unpooled session (not the context's), lets one
/// migrate while the others wait, at most <see cref="OrchestratorOptions.MigrationLockTimeout"/>. The lock is released
/// however the migration ends (and closing the unpooled session would end it anyway). While PostgreSQL is unreachable
/// it keeps trying, up to <see cref="OrchestratorOptions.DatabaseStartupTimeout"/>.
/// </summary>
/// <remarks>
/// Npgsql's EF provider (9 and later) takes its own lock inside <c>MigrateAsync</c> as well: <c>LOCK TABLE
/// "__EFMigrationsHistory" IN ACCESS EXCLUSIVE MODE</c> in the migration transaction, so EF alone never applies a
/// migration twice. The advisory lock stays because it covers more than EF's transaction: creating the history table,
/// adopting the star poller's tables of a database from before they were migrated (<see cref="LegacyStarTables"/>), and
/// the bounded wait with a clear error. The order is always advisory lock, then EF's table lock, so the two cannot
/// deadlock; the key is the one every earlier Orchestrator used, so a mixed rolling start is serialised too.
/// </remarks>
internal sealed class DatabaseMigrator(
    IDbContextFactory<OrchestratorDbContext> contexts,
    IOptions<OrchestratorOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>
    /// The same in every Orchestrator, and distinct from the star poller's lock in the same database ("SSpoller"):
    /// "SSmigrat" in ASCII.
    /// </summary>
    public const long MigrationLockKey = 0x5353_6D69_6772_6174;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.Value.DatabaseStartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.DatabaseUnavailable(ex.Message, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var session = await OpenLockSessionAsync(db, cancellationToken);
        await AcquireAsync(session, cancellationToken);
        try
        {
            // EF finds out whether its history table exists by querying it, and logs the failed query on a fresh
            // database as an error (twice). Creating the empty table first (idempotent) keeps a healthy start clean.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            if (await LegacyStarTables.AdoptAsync(db, cancellationToken))
            {
                logger.LegacyStarTablesAdopted(LegacyStarTables.MigrationName);
            }
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
                logger.MigrationsApplied(pending.Count, string.Join(", ", pending));
            }
        }
        finally
        {
            // Not on the caller's token: a cancelled start must still let go. Disposing the unpooled session would
            // end the lock too; unlocking first frees it at once, also when the session is slow to close.
            await ReleaseAsync(session);
        }
    }

    /// <summary>An unpooled session: when it closes (or its process dies) PostgreSQL ends it and drops its locks.</summary>
    private static async Task<NpgsqlConnection> OpenLockSessionAsync(OrchestratorDbContext db, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            Pooling = false,
            ApplicationName = "StarSync.Orchestrator migration lock",
        }.ConnectionString;
        var session = new NpgsqlConnection(connectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for the lock under the session's <c>lock_timeout</c>, which PostgreSQL applies to advisory locks too
    /// (error 55P03). Npgsql calls 55P03 transient, so it is turned into an error of its own here, or the start-up
    /// loop would wait again.
    /// </summary>
    private async Task AcquireAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        var timeout = options.Value.MigrationLockTimeout;
        await using var command = new NpgsqlCommand(
            string.Create(CultureInfo.InvariantCulture,
                $"SET lock_timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)}; SELECT pg_advisory_lock(@key);"),
            session);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        // The command timeout must not end the wait first (its default is 30 s).
        command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) + 30;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new MigrationLockTimeoutException(timeout, ex);
        }
    }

    private static async Task ReleaseAsync(NpgsqlConnection session)
    {
        if (session.FullState != System.Data.ConnectionState.Open)
        {
            return; // a broken session: PostgreSQL ends it, and the lock with it
        }
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session broke: PostgreSQL ends it, and the lock with it. The migration's own outcome is what counts.
        }
    }
}
