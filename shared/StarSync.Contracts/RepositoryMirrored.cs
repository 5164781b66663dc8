namespace StarSync.Contracts;

/// <summary>
/// The mirror now holds exactly the source's branches and tags. <paramref name="Pushed"/> is false when the
/// mirror was already current and nothing was sent.
/// </summary>
public sealed record RepositoryMirrored(
    Guid MirrorId,
    int Attempt,
    DateTimeOffset CompletedAt,
    int Branches,
    int Tags,
    bool Pushed,
    long DurationMs);
