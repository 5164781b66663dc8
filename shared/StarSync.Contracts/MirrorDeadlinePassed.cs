namespace StarSync.Contracts;

/// <summary>
/// Published by the Orchestrator's sweeper when a saga has sat in a non-final state past its deadline.
/// <paramref name="Version"/> is the saga version the sweeper saw; a saga that moved on since ignores it.
/// </summary>
public sealed record MirrorDeadlinePassed(
    Guid MirrorId,
    int Version);
