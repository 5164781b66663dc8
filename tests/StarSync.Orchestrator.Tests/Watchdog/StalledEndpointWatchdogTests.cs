using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using StarSync.ServiceDefaults;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Watchdog;

/// <summary>
/// The watchdog of every host, on a real broker: one endpoint can never consume (its queue exists as a classic queue,
/// and StarSync declares quorum queues, so RabbitMQ refuses every declare with PRECONDITION_FAILED) while another
/// consumes. The process must stop with exit code 1 and say which endpoint, instead of running on without it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StalledEndpointWatchdogTests(TestServers servers)
{
    public sealed record WatchdogProbe(int N);

    public sealed class ProbeConsumer : IConsumer<WatchdogProbe>
    {
        public Task Consume(ConsumeContext<WatchdogProbe> context) => Task.CompletedTask;
    }

    public sealed class OtherConsumer : IConsumer<WatchdogProbe>
    {
        public Task Consume(ConsumeContext<WatchdogProbe> context) => Task.CompletedTask;
    }

    [Fact]
    public async Task AnEndpointThatNeverConsumes_StopsTheProcessWithExitCodeOne_NamingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync("watchdog", ct);
        await DeclareClassicQueueAsync(rabbit, "blocked-probe", ct);
        var logs = new CapturedLogs();
        using var host = BuildHost(rabbit, logs, TimeSpan.FromSeconds(3));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        try
        {
            await host.StartAsync(ct);

            await stopping.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

            var critical = Assert.Single(logs.From("StarSync.ServiceDefaults.StalledEndpointWatchdog"),
                e => e.Level == LogLevel.Critical);
            Assert.Contains("blocked-probe", critical.Message);
            Assert.DoesNotContain("other-probe", critical.Message);
            Assert.Equal(1, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = 0;
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AStalledEndpointTimeoutOutsideItsRange_IsAStartError()
    {
        var ct = TestContext.Current.CancellationToken;
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync("watchdog-options", ct);
        using var host = BuildHost(rabbit, new CapturedLogs(), TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(ct));

        Assert.Contains("Bus:StalledEndpointTimeout must lie between 00:00:01 and 01:00:00", error.Message);
    }

    private static IHost BuildHost(string rabbit, CapturedLogs logs, TimeSpan timeout)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = rabbit,
            ["Bus:StalledEndpointTimeout"] = timeout.ToString("c"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.AddProvider(logs);
        builder.AddStarSyncBus(x =>
        {
            x.AddConsumer<ProbeConsumer>().Endpoint(e => e.Name = "blocked-probe");
            x.AddConsumer<OtherConsumer>().Endpoint(e => e.Name = "other-probe");
        });
        return builder.Build();
    }

    private static async Task DeclareClassicQueueAsync(string rabbit, string queue, CancellationToken ct)
    {
        var address = RabbitMqAddress.Parse(rabbit);
        var factory = new ConnectionFactory
        {
            HostName = address.Host,
            Port = address.Port,
            VirtualHost = address.VirtualHost,
            UserName = address.Username,
            Password = address.Password,
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
    }
}
