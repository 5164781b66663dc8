namespace StarSync.Contracts;

/// <summary>
/// One line of a mirror's sync history, as the status API shows it. <paramref name="TraceId"/> is the trace the event
/// belongs to; <paramref name="TraceUrl"/> its page in Jaeger, filled in by the Ingress when a Jaeger URL is set.
/// </summary>
public sealed record MirrorHistoryLine(
    DateTimeOffset RecordedAt,
    int Attempt,
    string Event,
    string Outcome,
    string? Detail,
    long? DurationMs,
    string? TraceId = null,
    string? TraceUrl = null);
