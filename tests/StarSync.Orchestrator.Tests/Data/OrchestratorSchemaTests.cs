using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    public async Task FirstStart_OnAnEmptyDatabase_LogsNoFailure()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await servers.Postgres.CreateDatabaseAsync("fresh", ct);
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        await using var provider = new ServiceCollection()
            .AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(connectionString).UseLoggerFactory(loggerFactory))
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();

        await new DatabaseMigrator(factory, Options.Create(new OrchestratorOptions()), loggerFactory.CreateLogger<DatabaseMigrator>())
            .StartAsync(ct);

        await using var db = await factory.CreateDbContextAsync(ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        // EF logs a failed command at Error ("Failed executing DbCommand"): a healthy first start has none.
        Assert.True(!logs.Entries.Any(e => e.Level >= LogLevel.Warning), logs.All);
        Assert.Contains(logs.Entries, e => e.Category.EndsWith(nameof(DatabaseMigrator), StringComparison.Ordinal)
                                           && e.Message.Contains("Applied", StringComparison.Ordinal));
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
