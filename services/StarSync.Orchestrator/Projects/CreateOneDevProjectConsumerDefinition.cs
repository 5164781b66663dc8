using MassTransit;

namespace StarSync.Orchestrator.Projects;

/// <summary>Endpoint policy: a few projects at a time, so a burst of stars does not flood OneDev.</summary>
internal sealed class CreateOneDevProjectConsumerDefinition : ConsumerDefinition<CreateOneDevProjectConsumer>
{
    public const int ConcurrencyLimit = 4;

    public CreateOneDevProjectConsumerDefinition()
    {
        ConcurrentMessageLimit = ConcurrencyLimit;
    }
}
