namespace StarSync.Contracts;

/// <summary>
/// Answer to <see cref="GetGitHubUserToken"/>: the user access token sealed with AES-GCM under a key derived from
/// StarSync:SecretKey and bound to <paramref name="RequestId"/> (never in plain text), and when it expires if known.
/// </summary>
public sealed record GitHubUserToken(
    Guid RequestId,
    byte[] SealedToken,
    DateTimeOffset? ExpiresAt);
