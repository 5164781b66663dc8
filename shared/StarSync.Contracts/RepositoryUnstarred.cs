namespace StarSync.Contracts;

/// <summary>A user removed their star from a repository.</summary>
public sealed record RepositoryUnstarred(
    Guid MirrorId,
    long GitHubId,
    string FullName,
    DateTimeOffset UnstarredAt,
    string Source,
    string? DeliveryId);
