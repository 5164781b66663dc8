using System.Diagnostics.Metrics;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// The mirror saga's own instruments, on the <c>StarSync</c> meter that every service exports. Labels are bounded:
/// triggers (<see cref="SyncTriggers"/>), steps (project, mirror, redrive), failure classes and outcomes, never a
/// repository. A saga step whose save loses an optimistic-concurrency race is handled again, so a count can be one too
/// high in that rare case.
/// </summary>
public sealed class MirrorSagaMetrics
{
    public const string MeterName = "StarSync";

    private readonly Counter<long> _eventsWithoutMirror;
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _redrives;

    public MirrorSagaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _eventsWithoutMirror = meter.CreateCounter<long>("starsync.saga.events_without_mirror", "{event}",
            "Events addressed to a mirror saga that does not exist, dropped (tag event: the message type)");
        _started = meter.CreateCounter<long>("starsync.syncs.started", "{sync}", "Syncs started, by trigger");
        _completed = meter.CreateCounter<long>("starsync.syncs.completed", "{sync}",
            "Syncs that ended with the mirror current, by trigger and result (pushed, unchanged)");
        _failed = meter.CreateCounter<long>("starsync.syncs.failed", "{sync}",
            "Syncs that ended Failed (or found the upstream gone), by trigger, step and failure class");
        _duration = meter.CreateHistogram<double>("starsync.sync.duration", "s",
            "From the event that started a sync to its end, by trigger and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600] });
        _retries = meter.CreateCounter<long>("starsync.sync.retries", "{retry}", "Failed steps scheduled for a retry, by step");
        _redrives = meter.CreateCounter<long>("starsync.sync.redrives", "{redrive}",
            "Steps re-sent because their deadline passed unanswered, by step");
    }

    public void EventWithoutMirror(string eventName) =>
        _eventsWithoutMirror.Add(1, new KeyValuePair<string, object?>("event", eventName));

    public void SyncStarted(string trigger) => _started.Add(1, Tag("trigger", trigger));

    public void SyncCompleted(string? trigger, bool pushed, TimeSpan? duration)
    {
        _completed.Add(1, Tag("trigger", trigger ?? SyncTriggers.Star), Tag("result", pushed ? "pushed" : "unchanged"));
        Duration(trigger, "completed", duration);
    }

    public void SyncFailed(string? trigger, string step, string failure, TimeSpan? duration)
    {
        _failed.Add(1, Tag("trigger", trigger ?? SyncTriggers.Star), Tag("step", step), Tag("class", failure));
        Duration(trigger, "failed", duration);
    }

    public void Retry(string step) => _retries.Add(1, Tag("step", step));

    public void Redrive(string step) => _redrives.Add(1, Tag("step", step));

    private void Duration(string? trigger, string outcome, TimeSpan? duration)
    {
        if (duration is { } d && d >= TimeSpan.Zero)
        {
            _duration.Record(d.TotalSeconds, Tag("trigger", trigger ?? SyncTriggers.Star), Tag("outcome", outcome));
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
