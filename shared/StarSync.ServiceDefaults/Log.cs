using Microsoft.Extensions.Logging;

namespace StarSync.ServiceDefaults;

/// <summary>ServiceDefaults log messages (EventIds 9xxx). Paths only: never a query string or a header.</summary>
internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Information, "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs} ms")]
    public static partial void RequestAnswered(this ILogger logger, string method, string path, int statusCode, long elapsedMs);

    [LoggerMessage(9002, LogLevel.Warning, "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs} ms")]
    public static partial void RequestFailed(this ILogger logger, string method, string path, int statusCode, long elapsedMs);
}
