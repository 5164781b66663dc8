using System.Globalization;

using MassTransit;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.Secrets;

namespace StarSync.GitWorker;

/// <summary>
/// With <c>GitHub:UserTokenFromOwner</c>, the GitWorker borrows the user access token from the Orchestrator, which owns it and
/// its single-use refresh token: a MassTransit request (<see cref="GetGitHubUserToken"/>, no secret in it; the request
/// expires with its <see cref="Timeout"/>) answered with the token sealed for this request (<see cref="GitHubUserTokenEnvelope"/>,
/// key from <c>StarSync:SecretKey</c>). The worker never refreshes a user token itself.
/// </summary>
internal sealed class OwnerUserTokenSource(IBus bus, StarSyncSecrets secrets, TimeProvider time) : IGitHubUserTokenSource
{
    /// <summary>How long a request waits for the Ingress (which may have to refresh at GitHub first).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<GitHubAccessToken> GetUserTokenAsync(string? rejectedToken, CancellationToken ct)
    {
        var box = GitHubUserTokenEnvelope.Box(secrets);
        var requestId = NewId.NextGuid();
        var request = new GetGitHubUserToken(requestId, time.GetUtcNow(), rejectedToken is null ? null : GitHubUserTokenEnvelope.Fingerprint(box, rejectedToken));
        var client = bus.CreateRequestClient<GetGitHubUserToken>(RequestTimeout.After(ms: (int)Timeout.TotalMilliseconds));
        Response<GitHubUserToken, GitHubUserTokenUnavailable> response;
        try
        {
            response = await client.GetResponse<GitHubUserToken, GitHubUserTokenUnavailable>(request, ct);
        }
        catch (RequestTimeoutException e)
        {
            throw new GitHubException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The Ingress did not answer a request for the GitHub user access token within {Timeout.TotalSeconds:0} s (GitHub:UserTokenFromOwner): it must run with GitHub:UserAccessToken and the same StarSync:SecretKey."),
                null, isTransient: true, e);
        }
        catch (RequestFaultException e)
        {
            throw new GitHubException("The Ingress failed to answer a request for the GitHub user access token.", null, isTransient: true, e);
        }

        if (response.Is(out Response<GitHubUserTokenUnavailable>? unavailable))
        {
            throw new GitHubException($"The Ingress has no GitHub user access token to give: {unavailable.Message.Reason}", null, unavailable.Message.IsTransient);
        }

        if (!response.Is(out Response<GitHubUserToken>? answer) || answer.Message.RequestId != requestId)
        {
            throw new GitHubException("The Ingress answered a request for the GitHub user access token with an answer to another request.", null, isTransient: true);
        }

        try
        {
            return new GitHubAccessToken(GitHubUserTokenEnvelope.Open(box, requestId, answer.Message.SealedToken), answer.Message.ExpiresAt);
        }
        catch (SecretBoxException e)
        {
            throw new GitHubException(
                "The GitHub user access token from the Orchestrator could not be decrypted: the Orchestrator and the GitWorker need the same StarSync:SecretKey.",
                null, isTransient: false, e);
        }
    }
}
