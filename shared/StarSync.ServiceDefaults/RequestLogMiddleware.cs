using System.Diagnostics;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StarSync.ServiceDefaults;

/// <summary>
/// One log line per HTTP request, written when the answer is known: method, path, status and duration. Never the
/// query string or a header (either can carry a token); the path is written escaped (no control characters) and
/// cut at <see cref="MaxPathLength"/>. Health probes (<c>/health*</c>, <c>/alive*</c>) and the Prometheus scrape
/// (<c>/metrics</c>) are not logged: compose probes every service every few seconds, Prometheus scrapes every 15. Answers of 500 and above are warnings, the rest information.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public const int MaxPathLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsRoutine(context.Request.Path))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var path = (context.Request.PathBase + context.Request.Path).ToUriComponent();
            if (path.Length > MaxPathLength)
            {
                path = path[..MaxPathLength] + "...";
            }

            if (status >= StatusCodes.Status500InternalServerError)
            {
                logger.RequestFailed(context.Request.Method, path, status, elapsedMs);
            }
            else
            {
                logger.RequestAnswered(context.Request.Method, path, status, elapsedMs);
            }
        }
    }

    /// <summary><c>/health</c>, <c>/healthz</c>, <c>/health/ready</c>, <c>/alive</c> and the like, and <c>/metrics</c>.</summary>
    internal static bool IsRoutine(PathString path) =>
        path.Value is { } value
        && (value.StartsWith("/health", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("/alive", StringComparison.OrdinalIgnoreCase)
            || value.Equals(ServiceDefaultsExtensions.MetricsPath, StringComparison.OrdinalIgnoreCase));
}
