using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator;

/// <summary>Process-level settings of the Orchestrator (section <c>Orchestrator</c>).</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>How long start-up waits for PostgreSQL before the process gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DatabaseStartupTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
