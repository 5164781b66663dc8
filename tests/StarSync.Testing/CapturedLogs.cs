using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StarSync.Testing;

/// <summary>One line a host logged, with its structured values folded into <see cref="Message"/>.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message} {Exception}";
}

/// <summary>
/// A logger provider that keeps every line a host writes (all levels, with exceptions and structured values),
/// for assertions on what is logged and what must never be: add it with <c>builder.Logging.AddProvider(logs)</c>
/// or <c>services.AddLogging(l =&gt; l.AddProvider(logs))</c>.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    /// <summary>Every entry as one line: <c>level category[event id] message exception</c>.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.ToString())];

    /// <summary>Every line, one per row, for "contains" assertions and failure messages.</summary>
    public string All => string.Join('\n', _entries);

    /// <summary>The entries of categories starting with <paramref name="prefix"/> (event ids overlap between libraries).</summary>
    public IReadOnlyList<CapturedLogEntry> From(string prefix) =>
        [.. _entries.Where(e => e.Category.StartsWith(prefix, StringComparison.Ordinal))];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret must not hide in a field that the formatter leaves out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner._entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception) + " " + values, exception));
        }
    }
}
