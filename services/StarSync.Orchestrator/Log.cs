namespace StarSync.Orchestrator;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Warning, "PostgreSQL is not reachable yet ({Reason}); trying again in {Delay}")]
    public static partial void DatabaseUnavailable(this ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(2002, LogLevel.Information, "Applied {Count} database migrations: {Migrations}")]
    public static partial void MigrationsApplied(this ILogger logger, int count, string migrations);

    [LoggerMessage(2003, LogLevel.Information,
        "Found the star poller's tables as the Ingress created them (ingress_star_state, ingress_starred): recorded migration {Migration} as applied; the next migration renames them")]
    public static partial void LegacyStarTablesAdopted(this ILogger logger, string migration);

    [LoggerMessage(2010, LogLevel.Information, "Retry due for mirror {MirrorId}, attempt {Attempt}")]
    public static partial void RetryDue(this ILogger logger, Guid mirrorId, int attempt);

    [LoggerMessage(2011, LogLevel.Warning, "Deadline passed for mirror {MirrorId} at version {Version}; asking the saga to re-drive it")]
    public static partial void DeadlinePassed(this ILogger logger, Guid mirrorId, int version);

    [LoggerMessage(2013, LogLevel.Debug, "Refresh due for mirror {MirrorId}")]
    public static partial void RefreshDue(this ILogger logger, Guid mirrorId);

    [LoggerMessage(2012, LogLevel.Warning, "Sweep failed; due mirrors stay due for the next scan")]
    public static partial void SweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2020, Message = "{MessageType} for mirror {MirrorId}, which does not exist: dropped")]
    public static partial void EventWithoutMirror(this ILogger logger, LogLevel level, string messageType, Guid mirrorId);

    [LoggerMessage(2014, LogLevel.Information, "Deleted {Count} sync history rows recorded before {Cutoff:u}")]
    public static partial void HistoryPruned(this ILogger logger, int count, DateTimeOffset cutoff);
}
