namespace StarSync.Orchestrator.Stars;

/// <summary>The <see cref="IStarBackfill"/> registered when star polling is off.</summary>
internal sealed class StarBackfillUnavailable(string reason) : IStarBackfill
{
    public bool IsAvailable => false;

    public string? UnavailableReason => reason;

    public Task RequestBackfillAsync(CancellationToken ct) =>
        throw new InvalidOperationException("Star polling is off, so no backfill can run: " + reason);
}
