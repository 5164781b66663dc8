namespace StarSync.Contracts;

/// <summary>
/// Published by the Orchestrator's sweeper when a Completed mirror's refresh interval has run out.
/// <paramref name="Version"/> is the saga version the sweeper saw.
/// </summary>
public sealed record MirrorRefreshDue(
    Guid MirrorId,
    int Version);
