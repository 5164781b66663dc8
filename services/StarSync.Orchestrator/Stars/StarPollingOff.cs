namespace StarSync.Orchestrator.Stars;

/// <summary>Registered instead of the poller when polling is off: says so once, at start.</summary>
internal sealed class StarPollingOff(string reason, ILogger<StarPollingOff> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.PollingOff(reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
