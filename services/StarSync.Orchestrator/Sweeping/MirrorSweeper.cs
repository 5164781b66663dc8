using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Sweeping;

/// <summary>
/// Drives retries and deadlines without a message scheduler (RabbitMQ here has no delayed-message plugin).
/// Every Orchestrator replica runs one: each scan claims due rows with <c>FOR UPDATE SKIP LOCKED</c>, so replicas
/// take disjoint rows and never wait on a saga's transaction, pushes their <c>due_at</c> forward as a lease, and
/// publishes <see cref="MirrorRetryDue"/>, <see cref="MirrorRefreshDue"/> or <see cref="MirrorDeadlinePassed"/>.
/// The saga decides what they mean;
/// duplicates and stale ones are ignored there by attempt and version.
/// </summary>
internal sealed class MirrorSweeper(
    IDbContextFactory<OrchestratorDbContext> contexts,
    IBus bus,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    ILogger<MirrorSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                while (await SweepOnceAsync(stoppingToken) >= options.Value.BatchSize)
                {
                    // A full batch: more rows are due, scan again without waiting.
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // PostgreSQL or RabbitMQ is away; the rows stay due and the next scan picks them up.
                logger.SweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One scan: claims up to a batch of due rows and publishes what each is due for.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseUntil = now + options.Value.Lease;
        var batch = options.Value.BatchSize;
        List<DueMirror> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Database.SqlQuery<DueMirror>($"""
                WITH due AS (
                    SELECT correlation_id FROM mirrors
                    WHERE due_at <= {now}
                    ORDER BY due_at
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                UPDATE mirrors AS m SET due_at = {leaseUntil}
                FROM due WHERE m.correlation_id = due.correlation_id
                RETURNING m.correlation_id AS "MirrorId", m.current_state AS "State", m.version AS "Version", m.attempt AS "Attempt",
                          m.next_retry_at AS "NextRetryAt", m.trace_parent AS "TraceParent"
                """).ToListAsync(cancellationToken);
        }
        foreach (var row in due)
        {
            using var activity = StartActivity(row);
            if (row.NextRetryAt is not null)
            {
                await bus.Publish(new MirrorRetryDue(row.MirrorId, row.Attempt), cancellationToken);
                logger.RetryDue(row.MirrorId, row.Attempt);
            }
            else if (row.State == "Completed")
            {
                await bus.Publish(new MirrorRefreshDue(row.MirrorId, row.Version), cancellationToken);
                logger.RefreshDue(row.MirrorId);
            }
            else
            {
                await bus.Publish(new MirrorDeadlinePassed(row.MirrorId, row.Version), cancellationToken);
                logger.DeadlinePassed(row.MirrorId, row.Version);
            }
        }
        return due.Count;
    }

    /// <summary>Continues the sync's own trace, so that a retry shows up under the star that started it.</summary>
    private static Activity? StartActivity(DueMirror row)
    {
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        var name = row.NextRetryAt is not null ? "mirror retry due"
            : row.State == "Completed" ? "mirror refresh due"
            : "mirror deadline passed";
        var activity = StarSyncTelemetry.Source.StartActivity(name, ActivityKind.Producer, parent);
        activity?.SetTag("starsync.mirror_id", row.MirrorId);
        return activity;
    }
}
