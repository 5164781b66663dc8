namespace StarSync.Contracts;

/// <summary>One line of a mirror's sync history, as the status API shows it.</summary>
public sealed record MirrorHistoryLine(
    DateTimeOffset RecordedAt,
    int Attempt,
    string Event,
    string Outcome,
    string? Detail,
    long? DurationMs);
