namespace StarSync.Orchestrator.Data;

/// <summary>Start-up waited <see cref="OrchestratorOptions.MigrationLockTimeout"/> for the migration lock in vain.</summary>
internal sealed class MigrationLockTimeoutException(TimeSpan timeout, Exception inner) : Exception(
    $"Another session held the database migration lock (PostgreSQL advisory lock {DatabaseMigrator.MigrationLockKey}) for longer than "
    + $"the setting Orchestrator:MigrationLockTimeout ({timeout}; environment variable Orchestrator__MigrationLockTimeout). "
    + "Another Orchestrator may still be migrating; pg_locks (locktype 'advisory') shows the holder.", inner);
