using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StarSync.ServiceDefaults;

/// <summary>
/// Stops the process when one of its receive endpoints stays down while the others consume. RabbitMQ 3.10 can close
/// a connection with 541 INTERNAL_ERROR when a consumer attaches to a quorum queue that another process is creating
/// at that moment (two replicas starting together on a fresh broker), and MassTransit 8.5 recovers every endpoint of
/// that connection except one caught in the middle of declaring its topology: it never consumes again, with nothing
/// in the log. A replica in that state looks alive and takes none of its share, so the watchdog logs the endpoint
/// and ends the process with exit code 1; compose (<c>restart: unless-stopped</c>) or Kubernetes starts it again
/// and the endpoint binds. A broker outage stops nothing: the clock runs only while another endpoint is healthy.
/// </summary>
public sealed partial class StalledEndpointWatchdog(
    IBusControl bus,
    IHostApplicationLifetime lifetime,
    IOptions<BusOptions> options,
    TimeProvider time,
    ILogger<StalledEndpointWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var detector = new StalledEndpointDetector(options.Value.StalledEndpointTimeout);
        // Ten looks per timeout, between one and ten seconds apart: a stall is acted on at most a tenth of the timeout late.
        var interval = TimeSpan.FromTicks(Math.Clamp(detector.Timeout.Ticks / 10, TimeSpan.TicksPerSecond / 10, TimeSpan.TicksPerSecond * 10));
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var health = bus.CheckHealth();
                var endpoints = health.Endpoints
                    .Select(e => new EndpointHealth(e.Key, e.Value.Status == BusHealthStatus.Healthy, e.Value.Description))
                    .ToList();
                var stalled = detector.Observe(endpoints, time.GetUtcNow());
                if (stalled.Count == 0)
                {
                    continue;
                }
                foreach (var endpoint in stalled)
                {
                    LogStalled(logger, endpoint.Name, (long)endpoint.For.TotalSeconds, endpoint.Description ?? "no description");
                }
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(9010, LogLevel.Critical,
        "Receive endpoint {Endpoint} has not consumed for {Seconds} s while other endpoints of this process did ({Description}); " +
        "stopping with exit code 1 so that the supervisor starts the process again (Bus:StalledEndpointTimeout)")]
    private static partial void LogStalled(ILogger logger, string endpoint, long seconds, string description);
}
