using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StarSync.ServiceDefaults;

/// <summary>
/// MassTransit on RabbitMQ, configured the same way in every host: broker address from
/// <c>ConnectionStrings:rabbitmq</c>, kebab-case endpoint names, quorum queues, one global retry policy for
/// second-scale infrastructure blips (each retry logged, see <see cref="MessageRetryLog"/>), and no usage telemetry.
/// </summary>
public static class StarSyncBus
{
    public const string ConnectionStringName = "rabbitmq";

    public static IHostApplicationBuilder AddStarSyncBus(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        var address = RabbitMqAddress.Parse(builder.Configuration.GetConnectionString(ConnectionStringName));
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.x otherwise posts a usage report to masstransit.io five minutes after start.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                var retryLog = new MessageRetryLog(
                    context.GetRequiredService<ILoggerFactory>().CreateLogger("StarSync.ServiceDefaults.MessageRetry"), name);
                // In-process and short: anything longer belongs to the saga's own backoff (see docs/architecture.md).
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<PermanentFailureException>();
                    r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
                    r.ConnectRetryObserver(retryLog);
                });
                endpoint.UseConsumeFilter(typeof(MirrorLogScopeFilter<>), context);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            configure(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(address.Host, address.Port, address.VirtualHost, builder.Environment.ApplicationName, h =>
                {
                    h.Username(address.Username);
                    h.Password(address.Password);
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Start serving HTTP (and answering 503 for publishes) even while the broker is unreachable.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<StalledEndpointWatchdog>();
        return builder;
    }
}
