namespace StarSync.GitHub;

/// <summary>
/// Where a process without a user credential of its own gets user access tokens: from the one process that owns the
/// single-use refresh token (the Orchestrator). Used when <c>GitHub:UserTokenFromOwner</c> is true.
/// </summary>
public interface IGitHubUserTokenSource
{
    /// <summary>
    /// A current user access token. <paramref name="rejectedToken"/> is the token GitHub just answered 401 to (null
    /// when there is none), so that the owner refreshes instead of handing the same one out again. Failures throw
    /// <see cref="GitHubException"/>.
    /// </summary>
    Task<GitHubAccessToken> GetUserTokenAsync(string? rejectedToken, CancellationToken ct);
}
