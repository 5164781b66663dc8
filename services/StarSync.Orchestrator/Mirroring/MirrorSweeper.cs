using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// Drives retries and deadlines without a message scheduler (RabbitMQ here has no delayed-message plugin).
/// Every Orchestrator replica runs one: each scan claims due rows with <c>FOR UPDATE SKIP LOCKED</c>, so replicas
/// take disjoint rows and never wait on a saga's transaction, pushes their <c>due_at</c> forward as a lease, and
/// publishes <see cref="MirrorRetryDue"/>, <see cref="MirrorRefreshDue"/> or <see cref="MirrorDeadlinePassed"/>.
/// The saga decides what they mean;
/// duplicates and stale ones are ignored there by attempt and version. It also deletes expired <c>sync_history</c>
/// rows (<see cref="PruneHistoryAsync"/>).
/// </summary>
internal sealed class MirrorSweeper(
    IDbContextFactory<OrchestratorDbContext> contexts,
    IBus bus,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    ILogger<MirrorSweeper> logger) : BackgroundService
{
    // "SSprunes" in ASCII: one replica prunes the history at a time; the others skip that round.
    private const long PruneLockKey = 0x5353_7072_756E_6573;
    private const int PruneBatchSize = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        var nextPrune = time.GetUtcNow();
        do
        {
            try
            {
                while (await SweepOnceAsync(stoppingToken) >= options.Value.BatchSize)
                {
                    // A full batch: more rows are due, scan again without waiting.
                }
                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + options.Value.HistoryPruneInterval;
                    await PruneHistoryAsync(stoppingToken);
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

    /// <summary>
    /// Deletes history rows older than <see cref="SweeperOptions.HistoryRetention"/>, keeping each mirror's newest
    /// <see cref="SweeperOptions.HistoryKeepPerMirror"/>, in batches (each its own short transaction). Returns the
    /// number deleted, or 0 when another replica holds the pruning lock.
    /// </summary>
    public async Task<int> PruneHistoryAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.HistoryRetention;
        var keep = options.Value.HistoryKeepPerMirror;
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({PruneLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (!locked)
            {
                return total;
            }
            var deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM sync_history WHERE id IN (
                    SELECT id FROM (
                        SELECT id, recorded_at, row_number() OVER (PARTITION BY mirror_id ORDER BY id DESC) AS newer
                        FROM sync_history
                        WHERE mirror_id IN (SELECT DISTINCT mirror_id FROM sync_history WHERE recorded_at < {cutoff})) ranked
                    WHERE recorded_at < {cutoff} AND newer > {keep}
                    LIMIT {PruneBatchSize})
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < PruneBatchSize)
            {
                if (total > 0)
                {
                    logger.HistoryPruned(total, cutoff);
                }
                return total;
            }
        }
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
            else if (row.State == MirrorStates.Completed)
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

    /// <summary>
    /// A retry or a passed deadline continues the sync's own trace, so that it shows up under the star or push that
    /// started it. A refresh is a new sync: the root of a trace of its own, linked to the previous sync's trace.
    /// </summary>
    private static Activity? StartActivity(DueMirror row)
    {
        ActivityContext.TryParse(row.TraceParent, null, out var sync);
        Activity? activity;
        if (row.NextRetryAt is null && row.State == MirrorStates.Completed)
        {
            Activity.Current = null;
            activity = StarSyncTelemetry.Source.StartActivity("mirror refresh due", ActivityKind.Producer, default(ActivityContext),
                links: sync == default ? null : [new ActivityLink(sync)]);
        }
        else
        {
            activity = StarSyncTelemetry.Source.StartActivity(
                row.NextRetryAt is not null ? "mirror retry due" : "mirror deadline passed", ActivityKind.Producer, sync);
        }
        activity?.SetTag("starsync.mirror.id", row.MirrorId);
        return activity;
    }
}
