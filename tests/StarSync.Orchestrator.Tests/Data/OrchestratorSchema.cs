using Npgsql;

namespace StarSync.Orchestrator.Tests.Data;

/// <summary>What the migrations make of a database, read back from PostgreSQL's catalogue.</summary>
internal static class OrchestratorSchema
{
    public const string Tables = "__EFMigrationsHistory,mirrors,star_poll_state,starred,sync_history";

    /// <summary>
    /// Tables, columns (type, nullability, default, identity), constraints and indexes of the public schema, one per
    /// line and sorted: two databases with the same text have the same schema, whatever order the columns were added in.
    /// </summary>
    public static async Task<string> DescribeAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                   || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable
                   || ' default=' || coalesce(column_default, '-') || ' identity=' || coalesce(identity_generation, '-')
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            ORDER BY 1
            """, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }
}
