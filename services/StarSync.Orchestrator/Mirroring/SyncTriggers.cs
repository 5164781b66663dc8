namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// What starts a sync, as the metrics name it: a small fixed set, whatever sources the messages carry.
/// </summary>
public static class SyncTriggers
{
    /// <summary>A star webhook (<c>watch</c> or <c>star</c>).</summary>
    public const string Star = "star";
    /// <summary>A star the poller found (or a backfill).</summary>
    public const string Poll = "poll";
    /// <summary>A push webhook.</summary>
    public const string Push = "push";
    /// <summary>The refresh interval came round.</summary>
    public const string Refresh = "refresh";
    /// <summary>An operator: the admin API's sync or retry, a changed build spec policy.</summary>
    public const string Manual = "manual";

    /// <summary>The trigger of a <see cref="StarSync.Contracts.RepositoryStarred"/> by its source.</summary>
    public static string OfStar(string source) => source is "poll" or "backfill" ? Poll : Star;

    /// <summary>The trigger of a <see cref="StarSync.Contracts.RepositorySyncRequested"/> by its source.</summary>
    public static string OfSyncRequest(string source) => source == "push" ? Push : Manual;
}
