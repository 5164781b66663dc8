using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StarSync.Orchestrator.Data;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Data;

public sealed class OrchestratorSchemaTests(TestServers servers)
{
    [Fact]
    public void Model_MatchesTheMigrationSnapshot()
    {
        using var db = new OrchestratorDbContext(new DbContextOptionsBuilder<OrchestratorDbContext>()
            .UseNpgsql("Host=unused").Options);

        // The migrations are written by hand: this fails when a map changes without a migration (and snapshot).
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ConcurrentMigrators_OnAnEmptyDatabase_CreateTheSchemaOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await servers.Postgres.CreateDatabaseAsync("schema", ct);
        await using var provider = new ServiceCollection()
            .AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(connectionString))
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();
        var options = Options.Create(new OrchestratorOptions());

        // Two Orchestrators starting together: the advisory lock makes one wait for the other.
        await Task.WhenAll(
            new DatabaseMigrator(factory, options, NullLogger<DatabaseMigrator>.Instance).StartAsync(ct),
            new DatabaseMigrator(factory, options, NullLogger<DatabaseMigrator>.Instance).StartAsync(ct));

        await using var db = await factory.CreateDbContextAsync(ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'",
            connection);
        Assert.Equal("__EFMigrationsHistory,mirrors,sync_history", (string?)await command.ExecuteScalarAsync(ct));
    }
}
