namespace StarSync.EndToEnd.Soak;

/// <summary>How long and how a soak runs. The seed picks every operation and fault; timing still varies run to run.</summary>
public sealed class SoakOptions
{
    public static readonly string[] UnstarPolicies = ["Keep", "Archive", "Delete"];

    public required int Seed { get; init; }

    /// <summary>How long the workload and the faults run.</summary>
    public required TimeSpan ChaosDuration { get; init; }

    /// <summary>After the faults stop, how long every saga may take to settle and every mirror to catch up.</summary>
    public required TimeSpan SettleTimeout { get; init; }

    /// <summary>Keep, Archive or Delete (the Orchestrator's <c>Mirroring:UnstarPolicy</c>); null picks one from the seed.</summary>
    public string? UnstarPolicy { get; init; }

    public int InitialRepositories { get; init; } = 4;

    public int MaxRepositories { get; init; } = 10;

    public int GitWorkers { get; init; } = 2;

    /// <summary>Where the services' output, the sync histories and the report are written; null: a new temporary folder.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Receives one line per operation, fault and phase as they happen.</summary>
    public Action<string> Log { get; init; } = _ => { };

    public string EffectiveUnstarPolicy => UnstarPolicy ?? UnstarPolicies[(int)((uint)Seed % (uint)UnstarPolicies.Length)];
}
