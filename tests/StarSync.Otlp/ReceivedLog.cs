namespace StarSync.Otlp;

/// <summary>One log record as an OTLP exporter sent it to <see cref="OtlpReceiver"/>.</summary>
/// <param name="ServiceName">The resource attribute <c>service.name</c> of the exporting process, null when absent.</param>
/// <param name="ScopeName">The instrumentation scope (for .NET ILogger: the logger category).</param>
/// <param name="Timestamp">The record's time, or its observed time when the time is not set.</param>
/// <param name="SeverityText">The severity as text, null when empty.</param>
/// <param name="SeverityNumber">OTLP severity number: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal, 0 unset.</param>
/// <param name="Body">The body as text (strings as they are, other values formatted invariantly), null when absent.</param>
/// <param name="TraceId">32 lowercase hex digits, null when written outside a trace.</param>
/// <param name="SpanId">16 lowercase hex digits, null when written outside a span.</param>
/// <param name="Attributes">Attributes, converted like <see cref="ReceivedSpan.Attributes"/>.</param>
/// <param name="EventName">The event name, null when empty.</param>
public sealed record ReceivedLog(
    string? ServiceName,
    string ScopeName,
    DateTimeOffset Timestamp,
    string? SeverityText,
    int SeverityNumber,
    string? Body,
    string? TraceId,
    string? SpanId,
    IReadOnlyDictionary<string, object?> Attributes,
    string? EventName);
