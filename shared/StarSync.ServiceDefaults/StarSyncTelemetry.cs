using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace StarSync.ServiceDefaults;

/// <summary>
/// OpenTelemetry built without OpenTelemetry.Extensions.Hosting (written before that package was served here; moving
/// to it is planned): the SDK is built with
/// <see cref="OpenTelemetrySdk.Create"/>, which nothing starts or stops for us, so a hosted service registered
/// before all others disposes (and so flushes) it last.
/// </summary>
public static class StarSyncTelemetry
{
    /// <summary>The ActivitySource for StarSync's own spans (git commands, OneDev calls, the sweeper).</summary>
    public static readonly ActivitySource Source = new("StarSync");

    internal static IHostApplicationBuilder AddStarSyncTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var sdk = OpenTelemetrySdk.Create(b =>
        {
            b.ConfigureResource(r => r.AddService(serviceName))
                .WithTracing(t => t
                    .AddSource("MassTransit", "StarSync", "Npgsql", "System.Net.Http", "Microsoft.AspNetCore")
                    .SetSampler(new ParentBasedSampler(new AlwaysOnSampler())))
                .WithMetrics(m => m
                    .AddMeter("MassTransit", "StarSync", "Npgsql", "System.Net.Http", "System.Runtime",
                        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"));
            // Export only when a collector is configured (compose points it at Jaeger); otherwise spans are
            // still created for in-process listeners and tests, and nothing tries to reach a missing collector.
            if (!string.IsNullOrWhiteSpace(endpoint))
            {
                var protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
                    ? OtlpExportProtocol.HttpProtobuf
                    : OtlpExportProtocol.Grpc;
                b.UseOtlpExporter(protocol, new Uri(endpoint));
            }
        });
        builder.Services.AddSingleton(sdk);
        builder.Services.AddHostedService(_ => new TelemetryLifetime(sdk));
        return builder;
    }

    private sealed class TelemetryLifetime(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // Hosted services stop in reverse order of registration; this one is registered first, so it runs last.
        public Task StopAsync(CancellationToken cancellationToken)
        {
            sdk.Dispose();
            return Task.CompletedTask;
        }
    }
}
