namespace StarSync.Orchestrator.Tokens;

/// <summary>GitHub user token log messages (EventIds 2300–2309). Never the token, only when it expires.</summary>
internal static partial class TokensLog
{
    [LoggerMessage(2300, LogLevel.Information, "Gave the GitHub user access token (expires {ExpiresAt}), sealed, to {Requester}")]
    public static partial void UserTokenHandedOut(this ILogger logger, string requester, DateTimeOffset? expiresAt);

    [LoggerMessage(2301, LogLevel.Warning, "Could not give {Requester} a GitHub user access token: {Reason}")]
    public static partial void UserTokenUnavailable(this ILogger logger, string requester, string reason);
}
