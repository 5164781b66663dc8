using Npgsql;

using StarSync.Testing;

namespace StarSync.Testing.Tests;

[Trait("Category", "Integration")]
public sealed class PostgresServerTests(TestServers servers)
{
    [Fact]
    public async Task CreateDatabase_ReturnsConnectionStringOfWritableDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await servers.Postgres.CreateDatabaseAsync("postgres_tests", ct);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)", ct);
        await ExecuteAsync(connection, "INSERT INTO items VALUES (1, 'one'), (2, 'two')", ct);

        Assert.Equal(2L, await ScalarAsync(connection, "SELECT count(*) FROM items", ct));
        Assert.StartsWith("postgres_tests_", connection.Database, StringComparison.Ordinal);
        Assert.Contains("Include Error Detail=False", connectionString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateDatabase_SamePrefixTwice_ReturnsDistinctDatabases()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = new NpgsqlConnectionStringBuilder(await servers.Postgres.CreateDatabaseAsync("Same Prefix!", ct));
        var second = new NpgsqlConnectionStringBuilder(await servers.Postgres.CreateDatabaseAsync("Same Prefix!", ct));

        Assert.NotEqual(first.Database, second.Database);
        Assert.Equal("127.0.0.1", first.Host);
        Assert.Equal(servers.Postgres.Port, first.Port);
    }

    [Fact]
    public async Task StopThenStartAgain_KeepsCommittedRowsAndPort()
    {
        var ct = TestContext.Current.CancellationToken;
        // A private server: stopping the assembly's shared one would break tests running in parallel.
        await using var server = await PostgresServer.StartAsync(ct);
        var connectionString = await server.CreateDatabaseAsync("restart", ct);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, "CREATE TABLE kept (id int)", ct);
            await ExecuteAsync(connection, "INSERT INTO kept SELECT generate_series(1, 100)", ct);
        }
        NpgsqlConnection.ClearAllPools();

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var refused = new NpgsqlConnection(connectionString);
            await refused.OpenAsync(ct);
        });
        await server.StartAgainAsync();

        await using var reopened = new NpgsqlConnection(connectionString);
        await reopened.OpenAsync(ct);
        Assert.Equal(100L, await ScalarAsync(reopened, "SELECT count(*) FROM kept", ct));
        Assert.Equal(server.Port, reopened.Port);
    }

    [Fact]
    public async Task Dispose_DeletesClusterDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await PostgresServer.StartAsync(ct);
        var directory = server.DirectoryPath;
        Assert.True(File.Exists(Path.Combine(directory, "data", "postmaster.pid")));

        await server.DisposeAsync();

        Assert.False(Directory.Exists(directory));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}
