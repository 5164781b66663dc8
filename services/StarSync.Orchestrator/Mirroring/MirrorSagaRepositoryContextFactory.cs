using System.Data;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using StarSync.Orchestrator.Data;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// The saga repository (MassTransit.EntityFrameworkCore is not available here): each message runs in its own
/// READ COMMITTED transaction on its own DbContext; the saga row is locked with <c>FOR UPDATE</c> on load, so
/// any number of Orchestrator processes serialise on one saga and each sees the state the previous one
/// committed. A failure anywhere rolls the transaction back, and the endpoint's retry reloads the saga.
/// </summary>
internal sealed class MirrorSagaRepositoryContextFactory(IDbContextFactory<OrchestratorDbContext> contexts, TimeProvider time)
    : ISagaRepositoryContextFactory<MirrorState>
{
    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql (ef core)");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<MirrorState, T>> next)
        where T : class
    {
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        await next.Send(new MirrorSagaRepositoryContext<T>(context, db, time));
        // Not cancellable: once the saga has run, either all of it commits or the message is retried.
        await transaction.CommitAsync(CancellationToken.None);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<MirrorState> query,
        IPipe<SagaRepositoryQueryContext<MirrorState, T>> next) where T : class =>
        throw new NotSupportedException("The mirror saga correlates by MirrorId only.");
}
