using System.Collections.Concurrent;
using System.Reflection;

using MassTransit;

namespace StarSync.GitWorker.Tests.Support;

/// <summary>
/// A <see cref="ConsumeContext{T}"/> for calling a consumer directly: it answers <c>Message</c> and
/// <c>CancellationToken</c>, records <c>Publish</c> calls, and throws for anything else.
/// </summary>
public class RecordingConsumeContext : DispatchProxy
{
    private object _message = null!;
    private CancellationToken _cancellationToken;

    public ConcurrentQueue<object> Published { get; } = new();

    public static (ConsumeContext<T> Context, RecordingConsumeContext Recorder) Create<T>(T message, CancellationToken cancellationToken)
        where T : class
    {
        var context = DispatchProxy.Create<ConsumeContext<T>, RecordingConsumeContext>();
        var recorder = (RecordingConsumeContext)(object)context;
        recorder._message = message;
        recorder._cancellationToken = cancellationToken;
        return (context, recorder);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        switch (targetMethod.Name)
        {
            case "get_Message":
                return _message;
            case "get_CancellationToken":
                return _cancellationToken;
            case "Publish" when args is [{ } message, CancellationToken ct]:
                ct.ThrowIfCancellationRequested();
                Published.Enqueue(message);
                return Task.CompletedTask;
            default:
                throw new NotSupportedException($"{targetMethod.Name} is not part of this fake ConsumeContext.");
        }
    }
}
