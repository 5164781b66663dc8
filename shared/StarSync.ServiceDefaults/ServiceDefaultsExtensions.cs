using System.Text.Encodings.Web;
using System.Text.Json;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace StarSync.ServiceDefaults;

/// <summary>What every StarSync host shares: telemetry, health endpoints, problem details and log shape.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged <c>live</c> answer <c>/alive</c>; every check answers <c>/health</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>Prometheus' scrape path on every service.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Log categories of ASP.NET Core's per-request lines, lowered to warnings.</summary>
    internal static readonly string[] QuietCategories =
        ["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http.Result"];

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // One JSON object per line (Logging:Console:FormatterName=simple for plain text): timestamp, level, category,
        // message and its fields, and the scopes, among them the trace and span id of the activity the line was written
        // in and, inside a consumer, the mirror (MirrorLogScope).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Json);
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
            // Readable text (quotes, slashes, non-ASCII as themselves); the writer still escapes what JSON requires.
            o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        // ASP.NET Core writes about six information lines per request (hosting, routing, results; the first two with
        // the query string). RequestLogMiddleware writes one instead, and none for health probes. A level set for one
        // of these categories in the configuration (Logging:LogLevel:...) still wins, for debugging.
        foreach (var category in QuietCategories)
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        builder.AddStarSyncTelemetry();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (everything, including the bus and the database: for readiness and compose),
    /// <c>/alive</c> (the process answers) and <c>/metrics</c> (Prometheus' text format), in every environment.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>
    /// One log line per request (<see cref="RequestLogMiddleware"/>), none for health probes. Call it first in
    /// <c>Program.cs</c>, so that every later middleware (the Ingress's exception handler among them) runs inside it
    /// and the line carries the final status.
    /// </summary>
    public static WebApplication UseRequestLog(this WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        return app;
    }
}
