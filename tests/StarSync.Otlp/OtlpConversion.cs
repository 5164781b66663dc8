using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;

using Google.Protobuf;
using Google.Protobuf.Collections;

using StarSync.Otlp.Proto.Common.V1;
using StarSync.Otlp.Proto.Logs.V1;
using StarSync.Otlp.Proto.Resource.V1;
using StarSync.Otlp.Proto.Trace.V1;

namespace StarSync.Otlp;

/// <summary>Turns the generated OTLP messages into the receiver's plain records.</summary>
internal static class OtlpConversion
{
    private const string ServiceNameKey = "service.name";

    public static IEnumerable<ReceivedSpan> ToSpans(IEnumerable<ResourceSpans> resourceSpans)
    {
        foreach (var resource in resourceSpans)
        {
            var serviceName = ServiceName(resource.Resource);
            foreach (var scope in resource.ScopeSpans)
            {
                var scopeName = scope.Scope?.Name ?? string.Empty;
                foreach (var span in scope.Spans)
                {
                    yield return ToSpan(serviceName, scopeName, span);
                }
            }
        }
    }

    public static IEnumerable<ReceivedLog> ToLogs(IEnumerable<ResourceLogs> resourceLogs)
    {
        foreach (var resource in resourceLogs)
        {
            var serviceName = ServiceName(resource.Resource);
            foreach (var scope in resource.ScopeLogs)
            {
                var scopeName = scope.Scope?.Name ?? string.Empty;
                foreach (var record in scope.LogRecords)
                {
                    yield return ToLog(serviceName, scopeName, record);
                }
            }
        }
    }

    private static ReceivedSpan ToSpan(string? serviceName, string scopeName, Span span) => new(
        serviceName,
        scopeName,
        Hex(span.TraceId) ?? string.Empty,
        Hex(span.SpanId) ?? string.Empty,
        Hex(span.ParentSpanId),
        span.Name,
        ToKind(span.Kind),
        ToTime(span.StartTimeUnixNano),
        ToTime(span.EndTimeUnixNano),
        ToDictionary(span.Attributes),
        span.Links.Select(static link => new ReceivedSpanLink(
            Hex(link.TraceId) ?? string.Empty, Hex(link.SpanId) ?? string.Empty, ToDictionary(link.Attributes))).ToArray(),
        ToStatusCode(span.Status?.Code ?? Status.Types.StatusCode.Unset),
        NullIfEmpty(span.Status?.Message),
        span.Events.Select(static e => e.Name).ToArray());

    private static ReceivedLog ToLog(string? serviceName, string scopeName, LogRecord record) => new(
        serviceName,
        scopeName,
        ToTime(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
        NullIfEmpty(record.SeverityText),
        (int)record.SeverityNumber,
        record.Body is null ? null : FormatBody(ToValue(record.Body)),
        Hex(record.TraceId),
        Hex(record.SpanId),
        ToDictionary(record.Attributes),
        NullIfEmpty(record.EventName));

    private static string? ServiceName(Resource? resource)
    {
        var entry = resource?.Attributes.LastOrDefault(static a => a.Key == ServiceNameKey);
        return entry?.Value?.ValueCase == AnyValue.ValueOneofCase.StringValue ? entry.Value.StringValue : null;
    }

    private static IReadOnlyDictionary<string, object?> ToDictionary(RepeatedField<KeyValue> attributes)
    {
        var dictionary = new Dictionary<string, object?>(attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            // A repeated key should not happen; the last value wins, as in most backends.
            dictionary[attribute.Key] = ToValue(attribute.Value);
        }
        return dictionary.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static object? ToValue(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.ArrayValue => Array.AsReadOnly(value.ArrayValue.Values.Select(ToValue).ToArray()),
        AnyValue.ValueOneofCase.KvlistValue => ToDictionary(value.KvlistValue.Values),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };

    private static string? FormatBody(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(static p => $"{p.Key}: {FormatBody(p.Value)}")) + "}",
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(FormatBody)) + "]",
        _ => value.ToString(),
    };

    private static string? Hex(ByteString bytes) => bytes.IsEmpty ? null : Convert.ToHexStringLower(bytes.Span);

    private static DateTimeOffset ToTime(ulong unixNanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanoseconds / 100));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static ActivityKind ToKind(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => ActivityKind.Server,
        Span.Types.SpanKind.Client => ActivityKind.Client,
        Span.Types.SpanKind.Producer => ActivityKind.Producer,
        Span.Types.SpanKind.Consumer => ActivityKind.Consumer,
        _ => ActivityKind.Internal,
    };

    private static ActivityStatusCode ToStatusCode(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => ActivityStatusCode.Ok,
        Status.Types.StatusCode.Error => ActivityStatusCode.Error,
        _ => ActivityStatusCode.Unset,
    };
}
