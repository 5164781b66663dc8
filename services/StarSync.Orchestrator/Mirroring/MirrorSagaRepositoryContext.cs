using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using StarSync.Orchestrator.Data;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// One message's view of the saga table, inside the transaction opened by
/// <see cref="MirrorSagaRepositoryContextFactory"/>. The DbContext is a payload of the context, so code running
/// inside the saga could reach the same transaction.
/// </summary>
internal sealed class MirrorSagaRepositoryContext<TMessage>(
    ConsumeContext<TMessage> context, OrchestratorDbContext db, TimeProvider time)
    : ConsumeContextScope<TMessage>(context, db), SagaRepositoryContext<MirrorState, TMessage>
    where TMessage : class
{
    public Task<SagaConsumeContext<MirrorState, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext,
        MirrorState instance, SagaConsumeContextMode mode) where T : class =>
        Task.FromResult<SagaConsumeContext<MirrorState, T>>(new DefaultSagaConsumeContext<MirrorState, T>(consumeContext, instance));

    public Task<SagaConsumeContext<MirrorState, TMessage>> Add(MirrorState instance) =>
        CreateSagaConsumeContext(this, instance, SagaConsumeContextMode.Add);

    /// <summary>
    /// The initial event's path: <c>INSERT … ON CONFLICT DO NOTHING</c>. When two first events race, the loser's
    /// insert waits for the winner to commit and then inserts nothing; returning null makes MassTransit
    /// <see cref="Load"/> the winner's row (locked), where the machine treats the event as a duplicate. The
    /// conflict clause names no target, so every unique index of the table is an arbiter: with the primary key
    /// alone, two racing inserts could both pass the conflict check and then fail on the GitHub-id index
    /// (a unique violation or a deadlock, each costing a retry).
    /// </summary>
    public async Task<SagaConsumeContext<MirrorState, TMessage>> Insert(MirrorState instance)
    {
        var now = time.GetUtcNow();
        instance.Version = 1;
        instance.CreatedAt = now;
        instance.UpdatedAt = now;
        if (!await InsertIfAbsentAsync(instance))
        {
            return null!;
        }
        // The row now holds exactly this instance: track it as unchanged, so Update writes what the machine changes.
        db.Mirrors.Attach(instance);
        return await CreateSagaConsumeContext(this, instance, SagaConsumeContextMode.Insert);
    }

    /// <summary>
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> for every mapped column, built from the EF model so that a column
    /// added to the map is inserted too. EF itself has no upsert; a plain insert would fail the transaction.
    /// </summary>
    private async Task<bool> InsertIfAbsentAsync(MirrorState instance)
    {
        var entityType = db.Model.FindEntityType(typeof(MirrorState))!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var entry = db.Entry(instance);
        var columns = new List<string>();
        var values = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        foreach (var property in entityType.GetProperties())
        {
            columns.Add(Quote(property.GetColumnName(table)!));
            var value = entry.Property(property.Name).CurrentValue;
            var converter = property.GetTypeMapping().Converter;
            value = converter is null ? value : converter.ConvertToProvider(value);
            if (value is null)
            {
                // A literal NULL takes the column's type; an untyped null parameter would not.
                values.Add("NULL");
            }
            else
            {
                var name = $"p{parameters.Count}";
                parameters.Add(new NpgsqlParameter(name, value));
                values.Add("@" + name);
            }
        }
        var sql = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)}) " +
                  "ON CONFLICT DO NOTHING";
        return await db.Database.ExecuteSqlRawAsync(sql, parameters, CancellationToken) == 1;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async Task<SagaConsumeContext<MirrorState, TMessage>> Load(Guid correlationId)
    {
        var rows = await db.Mirrors
            .FromSql($"SELECT * FROM mirrors WHERE correlation_id = {correlationId} FOR UPDATE")
            .AsTracking()
            .ToListAsync(CancellationToken);
        return rows is [var instance]
            ? await CreateSagaConsumeContext(this, instance, SagaConsumeContextMode.Load)
            : null!;
    }

    /// <summary>After <see cref="Add"/> (a saga not inserted up front): a plain insert; a duplicate key faults and is retried.</summary>
    public async Task Save(SagaConsumeContext<MirrorState> context)
    {
        var now = time.GetUtcNow();
        context.Saga.Version = 1;
        context.Saga.CreatedAt = now;
        context.Saga.UpdatedAt = now;
        db.Mirrors.Add(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    /// <summary>
    /// Writes the changed columns and the new history rows. <see cref="MirrorState.Version"/> (which the sweeper's
    /// refresh and deadline messages carry) and <c>updated_at</c> move only when the saga itself changed: an
    /// event the machine ignored writes nothing, and one that only remembered its delivery id or added a history
    /// line leaves in-flight sweeper messages valid. The row is locked, so the version check can only fail if
    /// something bypassed the lock; it turns that into a retry rather than a lost update.
    /// </summary>
    public async Task Update(SagaConsumeContext<MirrorState> context)
    {
        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(context.Saga).Properties
            .Any(p => p.IsModified && p.Metadata.Name != nameof(MirrorState.RecentDeliveries));
        if (changed)
        {
            context.Saga.Version++;
            context.Saga.UpdatedAt = time.GetUtcNow();
        }
        else if (!db.ChangeTracker.HasChanges())
        {
            return;
        }
        try
        {
            await db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrencyException("The mirror saga changed underneath its row lock.", typeof(MirrorState),
                context.Saga.CorrelationId, ex);
        }
    }

    public async Task Delete(SagaConsumeContext<MirrorState> context)
    {
        db.Mirrors.Remove(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    public Task Discard(SagaConsumeContext<MirrorState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<MirrorState> context)
    {
        db.ChangeTracker.Clear();
        return Task.CompletedTask;
    }
}
