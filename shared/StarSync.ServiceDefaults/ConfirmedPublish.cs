using System.Diagnostics.Metrics;

using MassTransit;

namespace StarSync.ServiceDefaults;

/// <summary>
/// The one way StarSync publishes what it accepts from outside (the Ingress: webhooks, admin commands; the Orchestrator:
/// discovered stars), so that "done" means
/// RabbitMQ has the message: a bus known to be down fails at once; the publish is mandatory (a message no queue is
/// bound for is returned by RabbitMQ and fails, instead of being confirmed and dropped); it completes on the
/// broker's confirm; and it is bounded twice, by a token and by <c>WaitAsync</c>, in case the transport does not
/// observe the token while it reconnects. Callers answer 503 (or retry later) for anything but Confirmed.
/// </summary>
public static class ConfirmedPublish
{
    private static readonly IPipe<PublishContext> Mandatory = Pipe.Execute<PublishContext>(c => c.Mandatory = true);

    private static readonly Histogram<double> ConfirmDuration = StarSyncTelemetry.Meter.CreateHistogram<double>(
        "starsync.publish.confirm.duration", "s",
        "From publish to RabbitMQ's confirm (or the answer that replaced it), by message type and outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static async Task<(ConfirmedPublishResult Result, Exception? Error)> PublishConfirmedAsync(
        this IPublishEndpoint endpoint, IBusControl bus, object message, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var answer = await PublishAsync(endpoint, bus, message, timeout, time, cancellationToken);
        ConfirmDuration.Record(time.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("message", message.GetType().Name),
            new KeyValuePair<string, object?>("outcome", answer.Result switch
            {
                ConfirmedPublishResult.Confirmed => "confirmed",
                ConfirmedPublishResult.TimedOut => "timed_out",
                ConfirmedPublishResult.BusUnhealthy => "bus_unhealthy",
                _ => "failed",
            }));
        return answer;
    }

    private static async Task<(ConfirmedPublishResult Result, Exception? Error)> PublishAsync(
        IPublishEndpoint endpoint, IBusControl bus, object message, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            return (ConfirmedPublishResult.BusUnhealthy, null);
        }
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await endpoint.Publish(message, message.GetType(), Mandatory, linked.Token).WaitAsync(timeout, time, linked.Token);
            return (ConfirmedPublishResult.Confirmed, null);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return (ConfirmedPublishResult.TimedOut, ex);
        }
#pragma warning disable CA1031 // Whatever the transport throws, the message was not accepted; the caller decides what to answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (ConfirmedPublishResult.Failed, ex);
        }
    }
}
