namespace StarSync.GitWorker;

/// <summary>GitWorker log messages (EventIds 3xxx). Reasons and git output are redacted before they get here.</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Mirroring {Repository} (attempt {Attempt}) into OneDev project {ProjectId} on {Worker}")]
    public static partial void MirrorStarted(this ILogger logger, string repository, int attempt, long projectId, string worker);

    [LoggerMessage(3002, LogLevel.Information, "Fetched {Repository}: {Branches} branches, {Tags} tags")]
    public static partial void Fetched(this ILogger logger, string repository, int branches, int tags);

    [LoggerMessage(3003, LogLevel.Information, "{Repository} is already current in OneDev ({Branches} branches, {Tags} tags); nothing pushed")]
    public static partial void NothingToPush(this ILogger logger, string repository, int branches, int tags);

    [LoggerMessage(3004, LogLevel.Information, "Pushed {Repository} to OneDev: {Updated} refs created or updated, {Deleted} refs deleted")]
    public static partial void Pushed(this ILogger logger, string repository, int updated, int deleted);

    [LoggerMessage(3005, LogLevel.Warning, "Mirroring {Repository} (attempt {Attempt}) failed after {DurationMs} ms, transient: {Transient}: {Reason}")]
    public static partial void MirrorFailed(this ILogger logger, string repository, int attempt, bool transient, string reason, long durationMs);

    [LoggerMessage(3006, LogLevel.Information, "Mirrored {Repository} in {DurationMs} ms ({Branches} branches, {Tags} tags, pushed: {Pushed})")]
    public static partial void MirrorCompleted(this ILogger logger, string repository, int branches, int tags, bool pushed, long durationMs);

    [LoggerMessage(3007, LogLevel.Information, "Default branch of OneDev project {ProjectId} changed from {Previous} to {DefaultBranch}")]
    public static partial void DefaultBranchChanged(this ILogger logger, long projectId, string previous, string defaultBranch);

    [LoggerMessage(3008, LogLevel.Information, "Mirroring {Repository} (attempt {Attempt}) interrupted by shutdown; the command will be redelivered")]
    public static partial void MirrorInterrupted(this ILogger logger, string repository, int attempt);

    [LoggerMessage(3009, LogLevel.Debug, "git {Command} exited with code {ExitCode}: {StandardError}")]
    public static partial void GitCommandFailed(this ILogger logger, string command, int exitCode, string standardError);

    [LoggerMessage(3010, LogLevel.Warning, "git {Command} was cancelled after {ElapsedMs} ms; its process tree was killed")]
    public static partial void GitCommandKilled(this ILogger logger, string command, long elapsedMs);

    [LoggerMessage(3012, LogLevel.Warning, "Upstream {Reason} {Ref} of {Repository}; its old tip {ObjectId} is kept in OneDev as {ArchiveRef}")]
    public static partial void Archived(this ILogger logger, string repository, string reason, string @ref, string objectId, string archiveRef);

    [LoggerMessage(3013, LogLevel.Information, "Seeded the cache of {Repository} from its OneDev mirror ({Refs} refs) before fetching from GitHub")]
    public static partial void CacheSeeded(this ILogger logger, string repository, int refs);

    [LoggerMessage(3014, LogLevel.Warning, "The cache of {Repository} at {Directory} is corrupt and is rebuilt: {Reason}")]
    public static partial void CacheCorrupt(this ILogger logger, string repository, string directory, string reason);

    [LoggerMessage(3015, LogLevel.Information, "Waiting for another process to release the cache lock of repository {RepositoryId} ({LockFile})")]
    public static partial void WaitingForCacheLock(this ILogger logger, long repositoryId, string lockFile);

    [LoggerMessage(3016, LogLevel.Information, "Copied Git LFS objects of {Repository} to OneDev ({Objects} objects in the cache)")]
    public static partial void LfsCopied(this ILogger logger, string repository, int objects);

    [LoggerMessage(3017, LogLevel.Information, "{Repository} is unchanged on GitHub and in OneDev ({Branches} branches, {Tags} tags); nothing fetched or pushed")]
    public static partial void Unchanged(this ILogger logger, string repository, int branches, int tags);

    [LoggerMessage(3018, LogLevel.Information, "GitHub repository #{RepositoryId} was recorded as {Recorded} and is now {Current}; fetching from its current location")]
    public static partial void UpstreamMoved(this ILogger logger, long repositoryId, string recorded, string current);

    [LoggerMessage(3019, LogLevel.Warning, "git {Command} was killed after {ElapsedMs} ms: {Reason}")]
    public static partial void GitCommandTimedOut(this ILogger logger, string command, long elapsedMs, string reason);

    [LoggerMessage(3040, LogLevel.Warning, "Refused to push {Repository}: OneDev build spec at the tip of {Refs}; {Why}")]
    public static partial void BuildSpecRefused(this ILogger logger, string repository, string refs, string why);

    [LoggerMessage(3041, LogLevel.Information, "Pushing the OneDev build spec of {Repository} at the tip of {Refs}: {Why}")]
    public static partial void BuildSpecAllowed(this ILogger logger, string repository, string refs, string why);
}
