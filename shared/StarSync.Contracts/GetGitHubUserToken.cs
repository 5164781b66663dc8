namespace StarSync.Contracts;

/// <summary>
/// Request (answered with <see cref="GitHubUserToken"/> or <see cref="GitHubUserTokenUnavailable"/>): a process without
/// a GitHub user credential of its own (the GitWorker) asks the owner of the single-use refresh token (the Ingress) for
/// a current user access token. <paramref name="RejectedTokenFingerprint"/> is the keyed fingerprint (never the token)
/// of a token GitHub just refused, so that the owner refreshes it rather than handing it out again.
/// </summary>
public sealed record GetGitHubUserToken(
    Guid RequestId,
    DateTimeOffset RequestedAt,
    string? RejectedTokenFingerprint);
