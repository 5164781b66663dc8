using Microsoft.Extensions.Logging;

namespace StarSync.GitHub;

/// <summary>GitHub client log messages (EventIds 8xxx). Never a token: paths, generations and expiry times only.</summary>
internal static partial class Log
{
    [LoggerMessage(8001, LogLevel.Information,
        "Using the GitHub user token pair from {StorePath} (refresh {Generation}): the configured refresh token was already used")]
    public static partial void UsingStoredUserToken(this ILogger logger, string storePath, long generation);

    [LoggerMessage(8002, LogLevel.Information, "Refreshed the GitHub user access token (refresh {Generation}, expires {ExpiresAt}); saved to {StorePath}")]
    public static partial void UserTokenRefreshed(this ILogger logger, long generation, DateTimeOffset? expiresAt, string storePath);

    [LoggerMessage(8003, LogLevel.Information,
        "Took the GitHub user token another owner process refreshed (refresh {Generation}) from {StorePath} instead of refreshing it again")]
    public static partial void AdoptedStoredUserToken(this ILogger logger, long generation, string storePath);

    [LoggerMessage(8004, LogLevel.Error,
        "Could not save the refreshed GitHub user token: {Reason}. It is kept in memory and saving is retried; a restart before a save succeeds needs a new user authorization")]
    public static partial void UserTokenNotSaved(this ILogger logger, string reason);

    [LoggerMessage(8005, LogLevel.Information, "Saved the refreshed GitHub user token to {StorePath} after all")]
    public static partial void UserTokenSavedLate(this ILogger logger, string storePath);
}
