using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StarSync.Orchestrator.Data;

/// <summary>
/// The star poller's tables of a database from before they were in the model. The Ingress created
/// <c>ingress_star_state</c> and <c>ingress_starred</c> itself (<c>CREATE TABLE IF NOT EXISTS</c>, both in one
/// transaction) when its poller first ran. Migration <c>IngressStarTables</c> creates exactly those tables (the same
/// columns, defaults, key and check constraint names), so where they already exist it is recorded as applied instead of
/// run; <c>StarPollTables</c> then renames them, rows and all, like on every other database.
/// </summary>
internal static class LegacyStarTables
{
    public const string MigrationName = "IngressStarTables";

    /// <summary>Runs under the migration lock, before <c>MigrateAsync</c>; true when it adopted the tables.</summary>
    public static async Task<bool> AdoptAsync(OrchestratorDbContext db, CancellationToken cancellationToken)
    {
        var id = db.GetService<IMigrationsAssembly>().Migrations.Keys.Single(k => k.EndsWith("_" + MigrationName, StringComparison.Ordinal));
        if ((await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Contains(id))
        {
            return false;
        }
        var exists = await db.Database
            .SqlQuery<bool>($"SELECT to_regclass('public.ingress_star_state') IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!exists)
        {
            return false;
        }
        var insert = db.GetService<IHistoryRepository>().GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion()));
        await db.Database.ExecuteSqlRawAsync(insert, cancellationToken);
        return true;
    }
}
