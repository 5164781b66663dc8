namespace StarSync.Contracts;

/// <summary>
/// Someone wants a mirror brought up to date now: a <c>push</c> webhook for the repository, or an operator
/// through the admin API (<paramref name="Source"/> <c>push</c> or <c>admin</c>). A Failed mirror is retried.
/// </summary>
public sealed record RepositorySyncRequested(
    Guid MirrorId,
    long GitHubId,
    string Source,
    string? DeliveryId,
    DateTimeOffset RequestedAt);
