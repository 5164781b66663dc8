using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarSync.Ingress.Tests;

/// <summary>
/// Tells when the host has finished a request, including everything it logs for it: ASP.NET Core stops the request's
/// activity (source <c>Microsoft.AspNetCore</c>) after the whole pipeline and its own "Request finished" line. A request
/// is recognised by the trace id it sends in <c>traceparent</c>, so requests of tests running in parallel do not count.
/// </summary>
internal sealed class ServerRequestCompletion : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, TaskCompletionSource> _pending = new();
    private readonly ActivityListener _listener;

    public ServerRequestCompletion()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (_pending.TryGetValue(activity.TraceId, out var done))
                {
                    done.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Marks <paramref name="request"/> with a fresh trace id; the task completes when the host is done with it.</summary>
    public Task Track(HttpRequestMessage request)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var done = _pending.GetOrAdd(traceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        return done.Task;
    }

    public void Dispose() => _listener.Dispose();
}
