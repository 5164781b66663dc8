using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Status;

/// <summary>
/// Answers the status API's requests from the saga table (Ingress asks over RabbitMQ; it has no access to the
/// Orchestrator's tables). Reads without locks: a status is a snapshot.
/// </summary>
internal sealed class MirrorStatusConsumer(IDbContextFactory<OrchestratorDbContext> contexts, Microsoft.Extensions.Options.IOptions<MirroringOptions> mirroring)
    : IConsumer<GetMirrorStatus>, IConsumer<ListMirrors>
{
    public const int MaxPageSize = 200;

    public async Task Consume(ConsumeContext<GetMirrorStatus> context)
    {
        var request = context.Message;
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var mirror = await db.Mirrors.AsNoTracking()
            .SingleOrDefaultAsync(m => m.GitHubId == request.GitHubId, context.CancellationToken);
        if (mirror is null)
        {
            await context.RespondAsync(new MirrorNotFound(request.GitHubId));
            return;
        }
        var history = await db.SyncHistory.AsNoTracking()
            .Where(h => h.MirrorId == mirror.CorrelationId)
            .OrderByDescending(h => h.Id)
            .Take(Math.Clamp(request.HistoryLimit, 0, 500))
            .ToListAsync(context.CancellationToken);
        history.Reverse();
        await context.RespondAsync(ToStatus(mirror, history));
    }

    public async Task Consume(ConsumeContext<ListMirrors> context)
    {
        var request = context.Message;
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var query = db.Mirrors.AsNoTracking();
        if (!string.IsNullOrEmpty(request.State))
        {
            query = query.Where(m => m.CurrentState == request.State);
        }
        var total = await query.CountAsync(context.CancellationToken);
        var page = await query.OrderBy(m => m.FullName).ThenBy(m => m.GitHubId)
            .Skip(Math.Max(request.Offset, 0))
            .Take(Math.Clamp(request.Limit, 1, MaxPageSize))
            .ToListAsync(context.CancellationToken);
        await context.RespondAsync(new MirrorList(total, [.. page.Select(m => ToStatus(m, []))]));
    }

    private MirrorStatus ToStatus(MirrorState m, IReadOnlyList<SyncHistoryEntry> history) => new(
        m.CorrelationId, m.GitHubId, m.FullName, m.CurrentState, m.Status, m.Starred, m.OneDevProjectPath, m.Attempt,
        m.RetryCount, m.LastError, m.LastSyncedAt, m.NextSyncAt, m.SyncIntervalSeconds, m.UpdatedAt,
        [.. history.Select(h => new MirrorHistoryLine(h.RecordedAt, h.Attempt, h.Event, h.Outcome, h.Detail, h.DurationMs, h.TraceId))],
        m.BuildSpecs(mirroring.Value), m.BuildSpecPolicy is null, TraceIdOf(m.TraceParent));

    /// <summary>The trace id inside a W3C <c>traceparent</c> (<c>00-{trace id}-{span id}-{flags}</c>).</summary>
    internal static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
