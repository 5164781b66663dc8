namespace StarSync.Contracts;

/// <summary>Answer to <see cref="BackfillStars"/>: the backfill is recorded; the active poller runs it within one poll interval.</summary>
public sealed record StarBackfillRequested(
    Guid RequestId,
    DateTimeOffset RequestedAt);
