namespace StarSync.Orchestrator.Mirroring;

/// <summary>A saga row the sweeper claimed: enough to tell a due retry, a passed deadline and a due refresh apart.</summary>
internal sealed record DueMirror(Guid MirrorId, string State, int Version, int Attempt, DateTimeOffset? NextRetryAt, string? TraceParent);
