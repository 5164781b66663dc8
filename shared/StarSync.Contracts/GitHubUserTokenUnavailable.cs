namespace StarSync.Contracts;

/// <summary>
/// Answer to <see cref="GetGitHubUserToken"/> when the owner has no usable token (GitHub refused the refresh, the store
/// failed): why, in words that hold no secret, and whether asking again later may help.
/// </summary>
public sealed record GitHubUserTokenUnavailable(
    Guid RequestId,
    string Reason,
    bool IsTransient);
