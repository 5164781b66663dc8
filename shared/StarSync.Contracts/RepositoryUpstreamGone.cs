namespace StarSync.Contracts;

/// <summary>
/// The GitHub repository can no longer be read: <paramref name="Reason"/> is <c>deleted</c> (404),
/// <c>blocked</c> (451, access blocked) or <c>inaccessible</c>. Told apart from an unstar by a direct lookup. The
/// mirror is kept as it is and no longer refreshed.
/// </summary>
public sealed record RepositoryUpstreamGone(
    Guid MirrorId,
    long GitHubId,
    string Reason,
    DateTimeOffset DetectedAt);
