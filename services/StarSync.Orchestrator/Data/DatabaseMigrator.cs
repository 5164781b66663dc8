using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace StarSync.Orchestrator.Data;

/// <summary>
/// Applies EF migrations before anything else starts (it is registered before the bus). Several Orchestrators
/// may start together: a PostgreSQL advisory lock lets one migrate while the others wait. While PostgreSQL is
/// unreachable it keeps trying, up to <see cref="OrchestratorOptions.DatabaseStartupTimeout"/>.
/// </summary>
internal sealed class DatabaseMigrator(
    IDbContextFactory<OrchestratorDbContext> contexts,
    Microsoft.Extensions.Options.IOptions<OrchestratorOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    // The same in every Orchestrator, and distinct from Ingress's star-poller locks in the same database
    // ("SSpoller", "SSpollsc"): "SSmigrat" in ASCII.
    private const long MigrationLockKey = 0x5353_6D69_6772_6174;

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
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            // EF finds out whether its history table exists by querying it, and logs the failed query on a fresh
            // database as an error (twice). Creating the empty table first (idempotent) keeps a healthy start clean.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
                logger.MigrationsApplied(pending.Count, string.Join(", ", pending));
            }
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
