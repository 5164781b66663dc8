namespace StarSync.Contracts;

/// <summary>A GitWorker picked up a <see cref="MirrorRepository"/> command and is working on it.</summary>
public sealed record RepositoryMirrorStarted(
    Guid MirrorId,
    int Attempt,
    string Worker,
    DateTimeOffset StartedAt);
