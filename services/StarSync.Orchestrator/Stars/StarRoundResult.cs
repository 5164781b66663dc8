namespace StarSync.Orchestrator.Stars;

/// <summary>What one poll, backfill or reconciliation did: messages published, pages read, and whether page 1 was a 304.</summary>
internal sealed record StarRoundResult(int Published, int Pages, bool NotModified);
