namespace StarSync.Contracts;

/// <summary>Published by the Orchestrator's sweeper when a saga's backoff for <paramref name="Attempt"/> ran out.</summary>
public sealed record MirrorRetryDue(
    Guid MirrorId,
    int Attempt);
