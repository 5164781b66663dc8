namespace StarSync.Orchestrator.Sweeping;

/// <summary>A saga row the sweeper claimed: enough to tell a due retry from a passed deadline.</summary>
internal sealed record DueMirror(Guid MirrorId, int Version, int Attempt, DateTimeOffset? NextRetryAt, string? TraceParent);
