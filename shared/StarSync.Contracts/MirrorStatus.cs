namespace StarSync.Contracts;

/// <summary>
/// What the status API shows of one mirror. Carries no credentials. <paramref name="BuildSpecPolicy"/> is the policy its
/// syncs apply; <paramref name="BuildSpecPolicyIsDefault"/> says whether that is the configured default.
/// <paramref name="TraceId"/> is the trace of the current (or last) sync, <paramref name="TraceUrl"/> its page in Jaeger.
/// </summary>
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
    IReadOnlyList<MirrorHistoryLine> History,
    BuildSpecPolicy? BuildSpecPolicy = null,
    bool BuildSpecPolicyIsDefault = true,
    string? TraceId = null,
    string? TraceUrl = null);
