using Microsoft.Extensions.Options;

namespace StarSync.GitWorker.Tests;

public sealed class MirrorRepositoryConsumerDefinitionTests
{
    [Fact]
    public void ConcurrentJobs_SetConcurrencyAndPrefetch()
    {
        var definition = new MirrorRepositoryConsumerDefinition(Options.Create(new GitWorkerOptions { ConcurrentJobs = 3 }));

        Assert.Equal(3, definition.ConcurrentMessageLimit);
        Assert.Equal(3, definition.EndpointDefinition?.PrefetchCount);
        Assert.Equal(3, definition.EndpointDefinition?.ConcurrentMessageLimit);
    }
}
