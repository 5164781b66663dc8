using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Mirroring;
using StarSync.Orchestrator.Projects;
using StarSync.Orchestrator.Stars;
using StarSync.Orchestrator.Status;
using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator;

internal static class OrchestratorHosting
{
    public const string ConnectionStringName = "postgres";

    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The setting ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}) " +
                "is required: an Npgsql connection string to the Orchestrator's PostgreSQL database.");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MirrorSagaMetrics>();
        builder.Services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<MirroringOptions>().BindConfiguration(MirroringOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SweeperOptions>().BindConfiguration(SweeperOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        // Commands are traced only inside a span (a saga step, a request): the sweeper's scan every few seconds and the
        // poller's bookkeeping would otherwise each be a trace of their own. Connection opens are not spans.
        builder.Services.AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(connectionString, npgsql => npgsql
            .ConfigureDataSource(d => d.ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null)
                .EnablePhysicalOpenTracing(false)))));
        // The only process with a database: its commands join the traces, its pool metrics go to /metrics and OTLP.
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddNpgsql());
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter("Npgsql"));
        // Hosted services start in registration order: the schema is in place before the bus consumes anything.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHostedService<MirrorCountSampler>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgres");

        builder.AddOneDevProjects();
        builder.AddStarSyncBus(x =>
        {
            x.AddSagaStateMachine<MirrorStateMachine, MirrorState, MirrorStateDefinition>()
                .Repository(r => r.AddSingleton<MassTransit.Saga.ISagaRepositoryContextFactory<MirrorState>, MirrorSagaRepositoryContextFactory>());
            x.AddConsumer<CreateOneDevProjectConsumer, CreateOneDevProjectConsumerDefinition>();
            x.AddConsumer<RetireOneDevProjectConsumer>();
            x.AddConsumer<MirrorStatusConsumer>();
            x.AddConsumer<RetryFailedMirrorsConsumer>();
            x.AddStarConsumers(builder.Configuration);
        });
        // Polls the starred list (GitHub sends no webhook for stars of other people's repositories) and owns the
        // GitHub user token; after the bus, whose publishes it confirms.
        builder.AddStarPolling();
        builder.Services.AddHostedService<MirrorSweeper>();
        // Warns at start when OneDev would run the jobs of a build spec pushed into a mirror.
        builder.Services.AddHostedService<JobExecutorCheck>();
        return builder;
    }
}
