using System.Diagnostics.Metrics;

using Microsoft.EntityFrameworkCore;

using StarSync.Contracts;
using StarSync.Orchestrator.Data;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// The gauge <c>starsync.mirrors</c>: how many mirrors are in each state, counted in the database every
/// <see cref="Interval"/> (one indexed GROUP BY) and served from memory at scrape time. Every Orchestrator reports the
/// whole fleet, so queries take <c>max by (state)</c>, not a sum. Every state is reported, at 0 when it is empty.
/// </summary>
internal sealed partial class MirrorCountSampler : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private static readonly string[] States =
        [MirrorStates.Pending, MirrorStates.ProjectCreated, MirrorStates.Mirroring, MirrorStates.Completed, MirrorStates.Failed];

    private readonly IDbContextFactory<OrchestratorDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly ILogger<MirrorCountSampler> _logger;
    private volatile IReadOnlyDictionary<string, long>? _counts;

    public MirrorCountSampler(IDbContextFactory<OrchestratorDbContext> contexts, IMeterFactory meters, TimeProvider time,
        ILogger<MirrorCountSampler> logger)
    {
        _contexts = contexts;
        _time = time;
        _logger = logger;
        meters.Create(MirrorSagaMetrics.MeterName).CreateObservableGauge("starsync.mirrors", Observe, "{mirror}",
            "Mirrors by state (tag state), as last counted in the database");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await using var db = await _contexts.CreateDbContextAsync(stoppingToken);
                var counts = await db.Mirrors.AsNoTracking().GroupBy(m => m.CurrentState)
                    .Select(g => new { State = g.Key, Count = g.LongCount() })
                    .ToDictionaryAsync(x => x.State, x => x.Count, stoppingToken);
                _counts = counts;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database is away: the last counts stay (the health check and its alert say why).
                LogCountFailed(_logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var counts = _counts;
        if (counts is null)
        {
            yield break;
        }
        foreach (var state in States)
        {
            yield return new Measurement<long>(counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state));
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(2190, LogLevel.Warning, "Could not count the mirrors by state for the metrics: {Error}: {Reason}")]
    private static partial void LogCountFailed(ILogger logger, string error, string reason);
}
