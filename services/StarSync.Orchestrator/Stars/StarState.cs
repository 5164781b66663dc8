namespace StarSync.Orchestrator.Stars;

/// <summary>The single row of <c>star_poll_state</c> (<c>id = 1</c>): where the star poller stands (see <see cref="StarStore"/>).</summary>
internal sealed class StarState
{
    public const short SingleRowId = 1;

    public short Id { get; set; } = SingleRowId;
    /// <summary>ETag of page 1 after the last complete poll, sent as <c>If-None-Match</c>.</summary>
    public string? Page1ETag { get; set; }
    /// <summary>Newest <c>starred_at</c> recorded.</summary>
    public DateTimeOffset? Watermark { get; set; }
    public bool BackfillRequested { get; set; }
    /// <summary>False: the first-start baseline, which records stars without publishing them.</summary>
    public bool BackfillPublishes { get; set; }
    public DateTimeOffset? BackfillRequestedAt { get; set; }
    /// <summary>Where an interrupted backfill resumes.</summary>
    public int? BackfillNextPage { get; set; }
    public DateTimeOffset? BackfillCompletedAt { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    public DateTimeOffset? LastReconciledAt { get; set; }
    public bool ReconcileRequested { get; set; }

    /// <summary>A reconciliation is due when asked for (after a backfill), never done, or older than the interval.</summary>
    public bool ReconcileDue(DateTimeOffset now, TimeSpan interval) =>
        ReconcileRequested || LastReconciledAt is null || now - LastReconciledAt.Value >= interval;
}
