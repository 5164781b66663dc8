using MassTransit;

namespace StarSync.Orchestrator.Tokens;

/// <summary>
/// Endpoint policy only: a few requests at a time (they wait on one refresh at most, which the token provider runs
/// once for all of them).
/// </summary>
internal sealed class GetGitHubUserTokenConsumerDefinition : ConsumerDefinition<GetGitHubUserTokenConsumer>
{
    public GetGitHubUserTokenConsumerDefinition()
    {
        ConcurrentMessageLimit = 4;
        Endpoint(e =>
        {
            e.PrefetchCount = 4;
            e.ConcurrentMessageLimit = 4;
        });
    }
}
