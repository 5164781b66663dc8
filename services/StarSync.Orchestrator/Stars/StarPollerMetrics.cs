using System.Diagnostics.Metrics;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// How current the star poller is, on the <c>StarSync</c> meter: seconds since its last successful round
/// (<c>starsync.stars.poll.age</c>: it grows without bound when polling is stuck, the alert's signal) and since the
/// newest star it has seen (<c>starsync.stars.newest.age</c>). Nothing is reported before the first round.
/// </summary>
internal sealed class StarPollerMetrics
{
    private readonly TimeProvider _time;
    private long _polledTicks;
    private long _newestTicks;

    public StarPollerMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create("StarSync");
        meter.CreateObservableGauge("starsync.stars.poll.age", () => AgeOf(ref _polledTicks), "s",
            "Seconds since the star poller's last successful round (on the Orchestrator that polls)");
        meter.CreateObservableGauge("starsync.stars.newest.age", () => AgeOf(ref _newestTicks), "s",
            "Seconds since the newest star the poller has seen was made");
    }

    public void Polled(DateTimeOffset at, DateTimeOffset? newestStar)
    {
        Interlocked.Exchange(ref _polledTicks, at.UtcTicks);
        if (newestStar is { } newest && newest.UtcTicks > Interlocked.Read(ref _newestTicks))
        {
            Interlocked.Exchange(ref _newestTicks, newest.UtcTicks);
        }
    }

    private IEnumerable<Measurement<double>> AgeOf(ref long ticks)
    {
        var at = Interlocked.Read(ref ticks);
        return at == 0 ? [] : [new Measurement<double>(Math.Max(0, (_time.GetUtcNow().UtcTicks - at) / (double)TimeSpan.TicksPerSecond))];
    }
}
