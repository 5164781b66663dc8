namespace StarSync.Ingress;

/// <summary>
/// Ingress log messages (EventIds 1xxx). They carry header values and field names, never the secret, a signature
/// or any part of a payload body.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information,
        "Accepted GitHub delivery {DeliveryId}: {Event}/{Action} for {Repository}, mirror {MirrorId}")]
    public static partial void DeliveryAccepted(this ILogger logger, string deliveryId, string @event, string action, string repository, Guid mirrorId);

    [LoggerMessage(1002, LogLevel.Information, "Answered GitHub ping {DeliveryId}")]
    public static partial void PingAnswered(this ILogger logger, string deliveryId);

    [LoggerMessage(1003, LogLevel.Information, "Ignored GitHub delivery {DeliveryId}: {Reason}")]
    public static partial void DeliveryIgnored(this ILogger logger, string deliveryId, string reason);

    [LoggerMessage(1010, LogLevel.Information, "Rejected a webhook request: signature {SignatureResult}")]
    public static partial void SignatureRejected(this ILogger logger, GitHubSignatureResult signatureResult);

    [LoggerMessage(1011, LogLevel.Information, "Rejected a webhook request: body over the limit of {MaxPayloadBytes} bytes (Content-Length {ContentLength})")]
    public static partial void PayloadTooLarge(this ILogger logger, int maxPayloadBytes, long? contentLength);

    [LoggerMessage(1012, LogLevel.Debug, "Rejected a webhook request: unsupported content type {ContentType}")]
    public static partial void UnsupportedContentType(this ILogger logger, string? contentType);

    [LoggerMessage(1013, LogLevel.Information, "Rejected a webhook request: {Problem}")]
    public static partial void BadDeliveryHeaders(this ILogger logger, string problem);

    [LoggerMessage(1014, LogLevel.Information, "Rejected GitHub delivery {DeliveryId} ({Event}): {Problem}")]
    public static partial void InvalidPayload(this ILogger logger, string deliveryId, string @event, string problem);

    [LoggerMessage(1015, LogLevel.Debug, "Rejected a webhook request: the body could not be read ({Reason})")]
    public static partial void BodyUnreadable(this ILogger logger, string reason);

    [LoggerMessage(1020, LogLevel.Warning,
        "Answered GitHub delivery {DeliveryId} with 503: the bus is {BusStatus} ({BusDescription})")]
    public static partial void BusUnhealthy(this ILogger logger, string deliveryId, string busStatus, string? busDescription);

    [LoggerMessage(1021, LogLevel.Warning,
        "Answered GitHub delivery {DeliveryId} with 503: the broker did not confirm the publish within {PublishTimeout}")]
    public static partial void PublishTimedOut(this ILogger logger, string deliveryId, TimeSpan publishTimeout);

    [LoggerMessage(1022, LogLevel.Warning, "Answered GitHub delivery {DeliveryId} with 503: the publish failed")]
    public static partial void PublishFailed(this ILogger logger, Exception exception, string deliveryId);

    // Admin API (1200–1299). The token never appears; the reason for a 401 is logged but never answered.

    [LoggerMessage(1200, LogLevel.Information, "Rejected an admin API request ({Method}): {Reason}")]
    public static partial void AdminRequestRejected(this ILogger logger, string method, Admin.AdminTokenResult reason);

    [LoggerMessage(1210, LogLevel.Information,
        "Admin requested a sync of GitHub repository {GitHubId}, mirror {MirrorId} (delivery {DeliveryId})")]
    public static partial void AdminSyncRequested(this ILogger logger, long gitHubId, Guid mirrorId, string deliveryId);

    [LoggerMessage(1211, LogLevel.Information,
        "Admin set the sync interval of GitHub repository {GitHubId}, mirror {MirrorId}, to {IntervalSeconds} s (null: the default)")]
    public static partial void AdminIntervalSet(this ILogger logger, long gitHubId, Guid mirrorId, int? intervalSeconds);

    [LoggerMessage(1212, LogLevel.Information, "Admin requested a retry of all failed mirrors at {RequestedAt}")]
    public static partial void AdminRetryFailedRequested(this ILogger logger, DateTimeOffset requestedAt);

    [LoggerMessage(1213, LogLevel.Information, "Admin requested a star backfill")]
    public static partial void AdminBackfillRequested(this ILogger logger);

    [LoggerMessage(1214, LogLevel.Warning, "Answered an admin star backfill with 503: {Reason}")]
    public static partial void AdminBackfillUnavailable(this ILogger logger, string reason);

    [LoggerMessage(1220, LogLevel.Warning, "Answered an admin {MessageType} with 503: the bus is {BusStatus} ({BusDescription})")]
    public static partial void AdminBusUnhealthy(this ILogger logger, string messageType, string busStatus, string? busDescription);

    [LoggerMessage(1221, LogLevel.Warning,
        "Answered an admin {MessageType} with 503: the broker did not confirm the publish within {PublishTimeout}")]
    public static partial void AdminPublishTimedOut(this ILogger logger, string messageType, TimeSpan publishTimeout);

    [LoggerMessage(1222, LogLevel.Warning, "Answered an admin {MessageType} with 503: the publish failed")]
    public static partial void AdminPublishFailed(this ILogger logger, Exception exception, string messageType);

    [LoggerMessage(1230, LogLevel.Warning, "Answered an admin {Request} with 503: the Orchestrator did not answer within {RequestTimeout}")]
    public static partial void AdminRequestTimedOut(this ILogger logger, string request, TimeSpan requestTimeout);

    [LoggerMessage(1231, LogLevel.Warning, "Answered an admin {Request} with 503: the request failed")]
    public static partial void AdminRequestFailed(this ILogger logger, Exception exception, string request);

    [LoggerMessage(1240, LogLevel.Information, "Admin set the build spec policy of GitHub repository {GitHubId} (mirror {MirrorId}) to {Policy}")]
    public static partial void AdminBuildSpecPolicySet(this ILogger logger, long gitHubId, Guid mirrorId, string policy);
}
