namespace StarSync.Ingress.Stars;

/// <summary>The single row of <c>ingress_star_state</c> (see <see cref="StarStore"/>).</summary>
internal sealed record StarState(
    string? Page1ETag,
    DateTimeOffset? Watermark,
    bool BackfillRequested,
    bool BackfillPublishes,
    DateTimeOffset? BackfillRequestedAt,
    int? BackfillNextPage,
    DateTimeOffset? BackfillCompletedAt,
    DateTimeOffset? LastPolledAt,
    DateTimeOffset? LastReconciledAt,
    bool ReconcileRequested)
{
    /// <summary>A reconciliation is due when asked for (after a backfill), never done, or older than the interval.</summary>
    public bool ReconcileDue(DateTimeOffset now, TimeSpan interval) =>
        ReconcileRequested || LastReconciledAt is null || now - LastReconciledAt.Value >= interval;
}
