using System.Diagnostics;

namespace StarSync.Otlp;

/// <summary>One span as an OTLP exporter sent it to <see cref="OtlpReceiver"/>.</summary>
/// <param name="ServiceName">The resource attribute <c>service.name</c> of the exporting process, null when absent.</param>
/// <param name="ScopeName">The instrumentation scope (for .NET: the ActivitySource name).</param>
/// <param name="TraceId">32 lowercase hex digits.</param>
/// <param name="SpanId">16 lowercase hex digits.</param>
/// <param name="ParentSpanId">16 lowercase hex digits, null for a root span.</param>
/// <param name="Name">The span (Activity display) name.</param>
/// <param name="Kind">The span kind; OTLP's "unspecified" is reported as <see cref="ActivityKind.Internal"/>.</param>
/// <param name="Start">Start time.</param>
/// <param name="End">End time.</param>
/// <param name="Attributes">Attributes: string, bool, long, double, byte[], IReadOnlyList&lt;object?&gt; for arrays,
/// IReadOnlyDictionary&lt;string, object?&gt; for maps, null for an empty value.</param>
/// <param name="Links">Links to other spans.</param>
/// <param name="StatusCode">The span status.</param>
/// <param name="StatusMessage">The status description, null when empty.</param>
/// <param name="EventNames">The names of the span's events, in order.</param>
public sealed record ReceivedSpan(
    string? ServiceName,
    string ScopeName,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    ActivityKind Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyList<ReceivedSpanLink> Links,
    ActivityStatusCode StatusCode,
    string? StatusMessage,
    IReadOnlyList<string> EventNames)
{
    /// <summary>True for a span without a parent.</summary>
    public bool IsRoot => ParentSpanId is null;
}

/// <summary>A link from a <see cref="ReceivedSpan"/> to another span.</summary>
/// <param name="TraceId">32 lowercase hex digits.</param>
/// <param name="SpanId">16 lowercase hex digits.</param>
/// <param name="Attributes">The link's attributes, converted like span attributes.</param>
public sealed record ReceivedSpanLink(string TraceId, string SpanId, IReadOnlyDictionary<string, object?> Attributes);
