namespace StarSync.Contracts;

/// <summary>What the status API shows of one mirror. Carries no credentials.</summary>
public sealed record MirrorStatus(
    Guid MirrorId,
    long GitHubId,
    string FullName,
    string State,
    string Status,
    bool Starred,
    string? OneDevProjectPath,
    int Attempt,
    int RetryCount,
    string? LastError,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? NextSyncAt,
    int? SyncIntervalSeconds,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<MirrorHistoryLine> History);
