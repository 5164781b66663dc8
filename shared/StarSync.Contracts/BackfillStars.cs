namespace StarSync.Contracts;

/// <summary>
/// Request from the admin API to the Orchestrator, which runs the star poller: publish every star again (a backfill).
/// Answered with <see cref="StarBackfillRequested"/>, or <see cref="StarPollingUnavailable"/> when polling is off.
/// </summary>
public sealed record BackfillStars(
    Guid RequestId,
    DateTimeOffset RequestedAt);
