namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Asks for a backfill: every star is published again (Source <c>backfill</c>). The request is a flag in
/// <c>star_poll_state</c>, so whichever Orchestrator is the active poller picks it up within one poll interval.
/// </summary>
internal interface IStarBackfill
{
    /// <summary>False when star polling is off (disabled, or no GitHub user credentials); requests then throw.</summary>
    bool IsAvailable { get; }

    /// <summary>Why polling is off (names settings, never their values); null while it is on.</summary>
    string? UnavailableReason { get; }

    /// <exception cref="InvalidOperationException">Star polling is off.</exception>
    Task RequestBackfillAsync(CancellationToken ct);
}
