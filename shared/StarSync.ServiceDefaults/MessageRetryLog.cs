using MassTransit;
using Microsoft.Extensions.Logging;

namespace StarSync.ServiceDefaults;

/// <summary>
/// Makes the global in-process retry visible: every retry of a message is one warning naming the message type,
/// the endpoint, the attempt and the exception (type and message; never the message body). A retry usually means
/// a blip; a steady stream of them means a defect that the retries are hiding.
/// </summary>
internal sealed partial class MessageRetryLog(ILogger logger, string endpoint) : IRetryObserver
{
    public const int RetryEventId = 1101;

    public Task PostCreate<T>(RetryPolicyContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task PostFault<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task PreRetry<T>(RetryContext<T> context) where T : class, PipeContext
    {
        var messageType = context.Context is ConsumeContext consume && consume.SupportedMessageTypes.FirstOrDefault() is { } urn
            ? urn[(urn.LastIndexOf(':') + 1)..]
            : typeof(T).Name;
        Retrying(logger, messageType, endpoint, context.RetryAttempt, context.Exception.GetType().Name, context.Exception.Message);
        return Task.CompletedTask;
    }

    public Task RetryFault<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task RetryComplete<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    [LoggerMessage(RetryEventId, LogLevel.Warning, "Retrying {MessageType} on {Endpoint} (retry {Retry}) after {ExceptionType}: {Reason}")]
    private static partial void Retrying(ILogger logger, string messageType, string endpoint, int retry, string exceptionType, string reason);
}
