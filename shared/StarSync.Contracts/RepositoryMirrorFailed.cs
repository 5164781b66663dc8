namespace StarSync.Contracts;

/// <summary>
/// A mirror attempt failed. <paramref name="Reason"/> is readable and free of credentials;
/// <paramref name="Transient"/> says whether trying again can help.
/// </summary>
public sealed record RepositoryMirrorFailed(
    Guid MirrorId,
    int Attempt,
    string Reason,
    bool Transient,
    DateTimeOffset FailedAt,
    long DurationMs);
