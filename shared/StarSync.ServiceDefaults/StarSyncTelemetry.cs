using System.Diagnostics;
using System.Diagnostics.Metrics;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace StarSync.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs of every service, on OpenTelemetry.Extensions.Hosting (the host starts the providers and
/// flushes them on stop). Everything goes over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the other
/// <c>OTEL_*</c> variables as the SDK defines them: protocol, headers, sampler, batch delays); without it spans are
/// still made for in-process listeners and nothing tries to reach a missing collector. Metrics are also scraped at
/// <c>GET /metrics</c> (<see cref="ServiceDefaultsExtensions.MapDefaultEndpoints"/>).
/// </summary>
public static class StarSyncTelemetry
{
    /// <summary>Name of StarSync's own ActivitySource and Meter.</summary>
    public const string Name = "StarSync";

    /// <summary>
    /// Sent by the status page on the requests it makes by itself (loading and refreshing the table), which are not
    /// traced: an open page would otherwise fill the trace store with its polling.
    /// </summary>
    public const string BackgroundRequestHeader = "StarSync-Background";

    /// <summary>The ActivitySource for StarSync's own spans (webhooks, git commands, the sweeper).</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The Meter for instruments of shared code that has no container at hand (<see cref="ConfirmedPublish"/>); the
    /// services' own instruments come from their <c>IMeterFactory</c> under the same name.
    /// </summary>
    public static readonly Meter Meter = new(Name);

    internal static IHostApplicationBuilder AddStarSyncTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}"))
            .WithTracing(t => t
                .AddSource("MassTransit", Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = IsTraced)
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter("MassTransit", Name, "Microsoft.AspNetCore.Server.Kestrel")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Health and liveness probes, the Prometheus scrape and the status page's own requests make no trace: their
    /// request span is not recorded, and neither is anything under it (the sampler follows the parent).
    /// </summary>
    internal static bool IsTraced(HttpContext context) =>
        !RequestLogMiddleware.IsRoutine(context.Request.Path) && !context.Request.Headers.ContainsKey(BackgroundRequestHeader);
}
