using System.Collections.Concurrent;

using Microsoft.Extensions.Logging;

namespace StarSync.Ingress.Tests;

/// <summary>Every log line the host writes, for assertions on what is (and is not) logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)> Entries => [.. entries];

    /// <summary>Only Ingress's own entries: EventIds of ASP.NET Core and MassTransit overlap with ours.</summary>
    public IReadOnlyList<(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)> Ingress =>
        [.. entries.Where(e => e.Category.StartsWith("StarSync.Ingress", StringComparison.Ordinal))];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, EventId, string, Exception?)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret must not hide in a field that the formatter leaves out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue((category, logLevel, eventId, formatter(state, exception) + " " + values, exception));
        }
    }
}
