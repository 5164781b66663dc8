using MassTransit;

using Microsoft.Extensions.Options;

namespace StarSync.GitWorker;

/// <summary>
/// Endpoint policy only: each replica takes at most <see cref="GitWorkerOptions.ConcurrentJobs"/> commands and
/// prefetches no more than it runs, so unstarted jobs stay on the shared queue for other replicas (and do not
/// sit unacked towards RabbitMQ's consumer_timeout).
/// </summary>
internal sealed class MirrorRepositoryConsumerDefinition : ConsumerDefinition<MirrorRepositoryConsumer>
{
    public MirrorRepositoryConsumerDefinition(IOptions<GitWorkerOptions> options)
    {
        var jobs = options.Value.ConcurrentJobs;
        ConcurrentMessageLimit = jobs;
        Endpoint(e =>
        {
            e.PrefetchCount = jobs;
            e.ConcurrentMessageLimit = jobs;
        });
    }
}
