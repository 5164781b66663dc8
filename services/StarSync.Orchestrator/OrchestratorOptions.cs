using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator;

/// <summary>Process-level settings of the Orchestrator (section <c>Orchestrator</c>).</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>How long start-up waits for PostgreSQL before the process gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DatabaseStartupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long start-up waits for the migration lock, which another Orchestrator holds while it migrates. A holder
    /// that never lets go (a hung migration, a session left open by hand) fails the start with this setting's name
    /// instead of hanging it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00",
        ErrorMessage = "The setting Orchestrator:MigrationLockTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan MigrationLockTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
