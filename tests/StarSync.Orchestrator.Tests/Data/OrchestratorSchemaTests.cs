using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Model_MatchesTheMigrationSnapshot()
    {
        using var db = new OrchestratorDbContext(new DbContextOptionsBuilder<OrchestratorDbContext>()
            .UseNpgsql("Host=unused").Options);

        // Fails when a map changes without `dotnet ef migrations add` (see docs/operations.md).
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void ModelChangedWithoutMigration_HasPendingModelChanges()
    {
        // The same context and migrations with one column more in the model: what a map edit without a migration is.
        using var db = new OrchestratorDbContext(new DbContextOptionsBuilder<OrchestratorDbContext>()
            .UseNpgsql("Host=unused")
            .ReplaceService<IModelCustomizer, ExtraColumnModelCustomizer>()
            .Options);

        Assert.True(db.Database.HasPendingModelChanges());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task FirstStart_OnAnEmptyDatabase_LogsNoFailure()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("fresh", Ct);
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        await using var provider = Contexts(connectionString, loggerFactory);
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();

        await new DatabaseMigrator(factory, Options.Create(new OrchestratorOptions()), loggerFactory.CreateLogger<DatabaseMigrator>())
            .StartAsync(Ct);

        await using var db = await factory.CreateDbContextAsync(Ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        // EF logs a failed command at Error ("Failed executing DbCommand"): a healthy first start has none.
        Assert.True(!logs.Entries.Any(e => e.Level >= LogLevel.Warning), logs.All);
        Assert.Contains(logs.Entries, e => e.Category.EndsWith(nameof(DatabaseMigrator), StringComparison.Ordinal)
                                           && e.Message.Contains("Applied", StringComparison.Ordinal));
        Assert.False(await AdvisoryLockHeldAsync(connectionString));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ConcurrentMigrators_OnAnEmptyDatabase_CreateTheSchemaOnce()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("schema", Ct);
        await using var provider = Contexts(connectionString);
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();
        var options = Options.Create(new OrchestratorOptions());

        // Two Orchestrators starting together: the advisory lock makes one wait for the other.
        await Task.WhenAll(
            new DatabaseMigrator(factory, options, NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct),
            new DatabaseMigrator(factory, options, NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct));

        await using var db = await factory.CreateDbContextAsync(Ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(OrchestratorSchema.Tables, await TablesAsync(connectionString));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task MigrationFails_ReleasesTheLock()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("failing", Ct);
        // A table in the way of the first migration: CREATE TABLE mirrors fails (42P07), which is not transient.
        await ExecuteAsync(connectionString, "CREATE TABLE mirrors (unrelated integer)");
        await using var provider = Contexts(connectionString);
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            new DatabaseMigrator(factory, Options.Create(new OrchestratorOptions()), NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct));

        Assert.Equal(PostgresErrorCodes.DuplicateTable, error.SqlState);
        Assert.False(await AdvisoryLockHeldAsync(connectionString));
        // And so the next start is not blocked: another session takes the lock at once.
        await using var other = await OpenAsync(connectionString);
        Assert.True(await TryLockAsync(other));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task LockHeldByAnotherSession_StartFailsNamingTheSetting()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("locked", Ct);
        await using var holder = await OpenAsync(connectionString);
        Assert.True(await TryLockAsync(holder));
        await using var provider = Contexts(connectionString);
        var factory = provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>();
        var options = Options.Create(new OrchestratorOptions { MigrationLockTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() =>
            new DatabaseMigrator(factory, options, NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct));

        Assert.Contains("Orchestrator:MigrationLockTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orchestrator__MigrationLockTimeout", error.Message, StringComparison.Ordinal);
        // It waited for the lock and did nothing without it.
        Assert.DoesNotContain("mirrors", await TablesAsync(connectionString));
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeployedDatabase_Upgrades_KeepsItsRowsAndEndsLikeAFreshOne(bool starPollerHadRun)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "DeployedSchema.sql"), Ct);
        var ingressTables = script.IndexOf("-- ingress-tables", StringComparison.Ordinal);
        Assert.True(ingressTables > 0);
        var deployed = await servers.Postgres.CreateDatabaseAsync("deployed", Ct);
        await ExecuteAsync(deployed, starPollerHadRun ? script : script[..ingressTables]);
        await ExecuteAsync(deployed, starPollerHadRun ? DeployedRows + DeployedStarRows : DeployedRows);
        var fresh = await servers.Postgres.CreateDatabaseAsync("fresh", Ct);

        foreach (var connectionString in new[] { deployed, fresh })
        {
            await using var provider = Contexts(connectionString);
            await new DatabaseMigrator(provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(),
                Options.Create(new OrchestratorOptions()), NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct);
        }

        await using (var provider = Contexts(deployed))
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>().CreateDbContextAsync(Ct);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            var mirror = Assert.Single(await db.Mirrors.AsNoTracking().ToListAsync(Ct));
            Assert.Equal("octo/kept", mirror.FullName);
            Assert.Equal(3600, mirror.SyncIntervalSeconds);
            if (starPollerHadRun)
            {
                // Renamed, not recreated: the poller resumes where the Ingress left it.
                var state = await db.StarState.AsNoTracking().SingleAsync(Ct);
                Assert.Equal("\"etag-kept\"", state.Page1ETag);
                Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), state.Watermark);
                Assert.False(state.BackfillRequested);
                var star = Assert.Single(await db.Starred.AsNoTracking().ToListAsync(Ct));
                Assert.Equal((4242L, "octo/kept", true), (star.GitHubId, star.FullName, star.Private));
            }
            else
            {
                Assert.Empty(await db.Starred.AsNoTracking().ToListAsync(Ct));
            }
        }
        var expected = await OrchestratorSchema.DescribeAsync(fresh, Ct);
        Assert.Contains("column mirrors.build_spec_policy character varying(16) null=YES", expected, StringComparison.Ordinal);
        Assert.Contains("constraint star_poll_state CK_star_poll_state_single_row CHECK ((id = 1))", expected, StringComparison.Ordinal);
        Assert.Equal(expected, await OrchestratorSchema.DescribeAsync(deployed, Ct));
    }

    /// <summary>A mirror as the deployed version wrote it.</summary>
    private const string DeployedRows = """
        INSERT INTO mirrors (correlation_id, current_state, version, github_id, owner, name, full_name, clone_url, html_url,
            default_branch, private, size_kb, starred, status, attempt, retry_count, redrive_count, recent_deliveries,
            created_at, updated_at, sync_interval_seconds, resync_requested)
        VALUES ('7d1f0c39-46a6-5d8a-9b55-0f6ab4b0c001', 'Completed', 3, 4242, 'octo', 'kept', 'octo/kept',
            'https://github.com/octo/kept.git', 'https://github.com/octo/kept', 'main', false, 12, true, 'mirrored', 1, 0, 0,
            ARRAY['d-1'], now(), now(), 3600, false);
        """;

    /// <summary>The star poller's rows as the deployed Ingress wrote them (its own INSERTs: defaults for the rest).</summary>
    private const string DeployedStarRows = """
        INSERT INTO ingress_star_state (id, backfill_requested, backfill_publishes) VALUES (1, true, true);
        UPDATE ingress_star_state SET page1_etag = '"etag-kept"', watermark = '2026-11-30T12:00:00Z', backfill_requested = false WHERE id = 1;
        INSERT INTO ingress_starred (github_id, full_name, starred_at, last_seen_at, private)
        VALUES (4242, 'octo/kept', '2026-11-30T12:00:00Z', '2026-12-01T00:00:00Z', true);
        """;

    private static ServiceProvider Contexts(string connectionString, ILoggerFactory? loggerFactory = null) =>
        new ServiceCollection()
            .AddDbContextFactory<OrchestratorDbContext>(o =>
            {
                o.UseNpgsql(connectionString);
                if (loggerFactory is not null)
                {
                    o.UseLoggerFactory(loggerFactory);
                }
            })
            .BuildServiceProvider();

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", DatabaseMigrator.MigrationLockKey);
        return (bool)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Whether any session of this database holds the migration lock (pg_locks splits the bigint key in two).</summary>
    private static async Task<bool> AdvisoryLockHeldAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((classid::bigint << 32) | objid::bigint) = @key AND granted
            """, connection);
        command.Parameters.AddWithValue("key", DatabaseMigrator.MigrationLockKey);
        return (long)(await command.ExecuteScalarAsync(Ct))! > 0;
    }

    private static async Task<string> TablesAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(string_agg(table_name, ',' ORDER BY table_name), '') FROM information_schema.tables WHERE table_schema = 'public'",
            connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }
}
