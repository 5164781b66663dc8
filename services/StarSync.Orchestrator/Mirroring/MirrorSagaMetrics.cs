using System.Diagnostics.Metrics;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>The mirror saga's own instruments, on the <c>StarSync</c> meter that every service exports.</summary>
public sealed class MirrorSagaMetrics
{
    public const string MeterName = "StarSync";

    private readonly Counter<long> _eventsWithoutMirror;

    public MirrorSagaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _eventsWithoutMirror = meter.CreateCounter<long>("starsync.saga.events_without_mirror", "{event}",
            "Events addressed to a mirror saga that does not exist, dropped (tag event: the message type)");
    }

    public void EventWithoutMirror(string eventName) =>
        _eventsWithoutMirror.Add(1, new KeyValuePair<string, object?>("event", eventName));
}
