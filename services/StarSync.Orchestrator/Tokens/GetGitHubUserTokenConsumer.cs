using System.Security.Cryptography;
using System.Text;

using MassTransit;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.Secrets;

namespace StarSync.Orchestrator.Tokens;

/// <summary>
/// The Orchestrator owns the GitHub user token (it polls the starred list, and only it holds the single-use refresh token):
/// this answers <see cref="GetGitHubUserToken"/> from processes without a user credential of their own with its current
/// user access token, refreshed first when it is near expiry or when the request names it as rejected by GitHub. The
/// token travels sealed (<see cref="GitHubUserTokenEnvelope"/>) with a short time to live; the request carries no secret,
/// so a failed request that ends in an <c>_error</c> queue holds none either.
/// </summary>
internal sealed class GetGitHubUserTokenConsumer(GitHubTokenProvider tokens, StarSyncSecrets secrets, ILogger<GetGitHubUserTokenConsumer> logger)
    : IConsumer<GetGitHubUserToken>
{
    /// <summary>How long an answer may wait for its requester, who gives up after 30 s.</summary>
    public static readonly TimeSpan AnswerTimeToLive = TimeSpan.FromSeconds(30);

    /// <summary>Whether this Orchestrator holds a GitHub user access token (<c>GitHub:UserAccessToken</c>, not a personal access token).</summary>
    public static bool OwnsUserToken(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{GitHubClientOptions.Section}:{nameof(GitHubClientOptions.UserAccessToken)}"])
        && string.IsNullOrWhiteSpace(configuration[$"{GitHubClientOptions.Section}:{nameof(GitHubClientOptions.Token)}"]);

    /// <summary>Whether this Orchestrator answers token requests: it owns a user access token and has the key to seal it (<c>StarSync:SecretKey</c>).</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        OwnsUserToken(configuration) && !string.IsNullOrWhiteSpace(configuration[$"{SecretKeyOptions.Section}:{nameof(SecretKeyOptions.SecretKey)}"]);

    public async Task Consume(ConsumeContext<GetGitHubUserToken> context)
    {
        var request = context.Message;
        var requester = context.Host is { } host ? $"{host.MachineName}/{host.ProcessName} (pid {host.ProcessId})" : "an unknown host";
        var box = GitHubUserTokenEnvelope.Box(secrets);
        GitHubAccessToken token;
        try
        {
            token = await tokens.GetUserAccessTokenAsync(context.CancellationToken);
            if (request.RejectedTokenFingerprint is { } rejected && SameFingerprint(GitHubUserTokenEnvelope.Fingerprint(box, token.Value), rejected))
            {
                // GitHub refused the very token this process holds: renew it (under the store's lock) before answering.
                tokens.InvalidateUserToken(token.Value);
                token = await tokens.GetUserAccessTokenAsync(context.CancellationToken);
            }
        }
        catch (Exception e) when (e is GitHubException or GitHubTokenStoreException)
        {
            logger.UserTokenUnavailable(requester, e.Message);
            var transient = e is GitHubException { IsTransient: true };
            await context.RespondAsync(new GitHubUserTokenUnavailable(request.RequestId, e.Message, transient), x => x.TimeToLive = AnswerTimeToLive);
            return;
        }

        await context.RespondAsync(
            new GitHubUserToken(request.RequestId, GitHubUserTokenEnvelope.Seal(box, request.RequestId, token.Value), token.ExpiresAt),
            x => x.TimeToLive = AnswerTimeToLive);
        logger.UserTokenHandedOut(requester, token.ExpiresAt);
    }

    private static bool SameFingerprint(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
