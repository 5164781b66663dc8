using MassTransit;
using Microsoft.EntityFrameworkCore;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;

namespace StarSync.Orchestrator.Status;

/// <summary>
/// "Retry all failed" from the admin API: asks every Failed mirror to sync again, each through its own saga (so
/// the usual guards apply). The request time makes the delivery id, so a redelivered command retries nothing twice.
/// </summary>
internal sealed class RetryFailedMirrorsConsumer(IDbContextFactory<OrchestratorDbContext> contexts, TimeProvider time)
    : IConsumer<RetryFailedMirrors>
{
    public async Task Consume(ConsumeContext<RetryFailedMirrors> context)
    {
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var failed = await db.Mirrors.AsNoTracking()
            .Where(m => m.CurrentState == MirrorStates.Failed)
            .Select(m => new { m.CorrelationId, m.GitHubId })
            .ToListAsync(context.CancellationToken);
        var deliveryId = $"retry-failed:{context.Message.RequestedAt.UtcTicks}";
        foreach (var mirror in failed)
        {
            await context.Publish(new RepositorySyncRequested(mirror.CorrelationId, mirror.GitHubId, "admin", deliveryId,
                time.GetUtcNow()));
        }
    }
}
