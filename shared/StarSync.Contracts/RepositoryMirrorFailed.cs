namespace StarSync.Contracts;

/// <summary>
/// A mirror attempt failed. <paramref name="Reason"/> is readable and free of credentials;
/// <paramref name="Transient"/> says whether trying again can help. <paramref name="RetryAt"/> is set when GitHub
/// asked to wait (a rate limit): no retry is sent before it, and the wait does not count as a failed try.
/// <paramref name="UpstreamGone"/> is set when GitHub no longer serves the repository under its id
/// (<c>deleted</c>, <c>blocked</c>): the mirror is kept as it is and no longer refreshed. <paramref name="BuildSpecRefs"/>
/// is set when nothing was pushed because these refs carry a OneDev build spec that the policy refused.
/// </summary>
public sealed record RepositoryMirrorFailed(
    Guid MirrorId,
    int Attempt,
    string Reason,
    bool Transient,
    DateTimeOffset FailedAt,
    long DurationMs,
    DateTimeOffset? RetryAt = null,
    string? UpstreamGone = null,
    IReadOnlyList<string>? BuildSpecRefs = null);
