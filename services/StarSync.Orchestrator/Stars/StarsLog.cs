namespace StarSync.Orchestrator.Stars;

/// <summary>Star polling log messages (EventIds 2200–2299). Repository names and ids only: never a token.</summary>
internal static partial class StarsLog
{
    [LoggerMessage(2200, LogLevel.Information, "Star polling is off: {Reason}")]
    public static partial void PollingOff(this ILogger logger, string reason);

    [LoggerMessage(2201, LogLevel.Information, "Star poller is active (holds the advisory lock); polling every {PollInterval}")]
    public static partial void BecameActive(this ILogger logger, TimeSpan pollInterval);

    [LoggerMessage(2202, LogLevel.Information, "Star poller on standby: another Orchestrator holds the lock; retrying every {PollInterval}")]
    public static partial void Standby(this ILogger logger, TimeSpan pollInterval);

    [LoggerMessage(2203, LogLevel.Warning, "Star poller has no database session (lost or refused); not polling; retrying in {PollInterval}")]
    public static partial void SessionFailed(this ILogger logger, Exception exception, TimeSpan pollInterval);

    [LoggerMessage(2204, LogLevel.Information, "Star poller released the lock")]
    public static partial void LockReleased(this ILogger logger);

    [LoggerMessage(2210, LogLevel.Debug, "Starred page 1 not modified (304)")]
    public static partial void NotModified(this ILogger logger);

    [LoggerMessage(2211, LogLevel.Information, "Published star of {Repository} ({GitHubId}, starred {StarredAt:O}) from {Source}, mirror {MirrorId}")]
    public static partial void StarPublished(this ILogger logger, string repository, long gitHubId, DateTimeOffset starredAt, string source, Guid mirrorId);

    [LoggerMessage(2212, LogLevel.Information, "Poll done: {Published} new star(s) over {Pages} page(s)")]
    public static partial void PollDone(this ILogger logger, int published, int pages);

    [LoggerMessage(2220, LogLevel.Information, "Backfill started at page {Page} (publishing: {Publishes})")]
    public static partial void BackfillStarted(this ILogger logger, int page, bool publishes);

    [LoggerMessage(2221, LogLevel.Information, "Backfill completed: {Stars} star(s) over {Pages} page(s) (publishing: {Publishes})")]
    public static partial void BackfillCompleted(this ILogger logger, int stars, int pages, bool publishes);

    [LoggerMessage(2222, LogLevel.Information, "Backfill requested")]
    public static partial void BackfillRequested(this ILogger logger);

    [LoggerMessage(2230, LogLevel.Information, "Reconciliation: {Listed} starred, {Missing} missing from the list, {Published} message(s) published")]
    public static partial void Reconciled(this ILogger logger, int listed, int missing, int published);

    [LoggerMessage(2231, LogLevel.Information, "Unstar of {Repository} ({GitHubId}) confirmed, mirror {MirrorId}")]
    public static partial void UnstarPublished(this ILogger logger, string repository, long gitHubId, Guid mirrorId);

    [LoggerMessage(2232, LogLevel.Information, "Repository {Repository} ({GitHubId}) is gone upstream: {Reason}, mirror {MirrorId}")]
    public static partial void UpstreamGonePublished(this ILogger logger, string repository, long gitHubId, string reason, Guid mirrorId);

    [LoggerMessage(2233, LogLevel.Information, "Repository {OldName} ({GitHubId}) is now {NewName}; star published again, mirror {MirrorId}")]
    public static partial void RenamePublished(this ILogger logger, string oldName, long gitHubId, string newName, Guid mirrorId);

    [LoggerMessage(2234, LogLevel.Information, "Repository {Repository} ({GitHubId}) is missing from the list but still starred; kept")]
    public static partial void StillStarred(this ILogger logger, string repository, long gitHubId);

    [LoggerMessage(2235, LogLevel.Warning, "Could not confirm why {Repository} ({GitHubId}) left the starred list; retrying next reconciliation: {Problem}")]
    public static partial void Unconfirmed(this ILogger logger, string repository, long gitHubId, string problem);

    [LoggerMessage(2240, LogLevel.Warning, "GitHub rate-limited the star poller (secondary: {Secondary}); waiting until {RetryAt:O}")]
    public static partial void RateLimited(this ILogger logger, bool secondary, DateTimeOffset retryAt);

    [LoggerMessage(2241, LogLevel.Warning, "Star polling round failed; retrying in {PollInterval}")]
    public static partial void RoundFailed(this ILogger logger, Exception exception, TimeSpan pollInterval);

    [LoggerMessage(2242, LogLevel.Warning, "The broker did not confirm a {MessageType} publish within {PublishTimeout}; the round stops")]
    public static partial void PublishTimedOut(this ILogger logger, string messageType, TimeSpan publishTimeout);

    [LoggerMessage(2250, LogLevel.Warning, "Refused a star backfill request: {Reason}")]
    public static partial void BackfillRefused(this ILogger logger, string reason);
}
