namespace StarSync.Orchestrator.Mirroring;

/// <summary>One line of a mirror's history (table <c>sync_history</c>): an event, what came of it, how long it took.</summary>
public sealed class SyncHistoryEntry
{
    public long Id { get; set; }
    public Guid MirrorId { get; set; }
    public int Attempt { get; set; }
    /// <summary>What happened: <c>star</c>, <c>unstar</c>, <c>project</c>, <c>mirror</c>, <c>retry</c>, <c>redrive</c>.</summary>
    public string Event { get; set; } = "";
    /// <summary>What came of it: <c>accepted</c>, <c>ignored</c>, <c>created</c>, <c>completed</c>, <c>failed</c>, <c>scheduled</c>, …</summary>
    public string Outcome { get; set; } = "";
    public string? Detail { get; set; }
    public string? DeliveryId { get; set; }
    public long? DurationMs { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
