using MassTransit;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// Endpoint policy of the saga. Retry comes from the global policy in ServiceDefaults (it sits in front of the
/// repository, so every retry reloads the saga in a new transaction); the in-memory outbox holds the commands
/// the machine publishes until the saga's transaction has committed.
/// </summary>
public sealed class MirrorStateDefinition : SagaDefinition<MirrorState>
{
    public MirrorStateDefinition()
    {
        Endpoint(e => e.Name = "mirror-state");
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<MirrorState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
