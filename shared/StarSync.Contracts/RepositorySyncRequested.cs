namespace StarSync.Contracts;

/// <summary>
/// Someone wants a mirror brought up to date now: a <c>push</c> webhook for the repository, or an operator
/// through the admin API (<paramref name="Source"/> <c>push</c> or <c>admin</c>). A Failed mirror is retried.
/// <paramref name="Repository"/> is what a signed <c>push</c> payload says of the repository now (names, clone URL,
/// default branch, visibility, size), so the saga's record follows renames and transfers; null from the admin API.
/// </summary>
public sealed record RepositorySyncRequested(
    Guid MirrorId,
    long GitHubId,
    string Source,
    string? DeliveryId,
    DateTimeOffset RequestedAt,
    GitHubRepository? Repository = null);
