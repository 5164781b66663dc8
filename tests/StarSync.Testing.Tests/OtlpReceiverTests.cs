using System.Diagnostics;
using System.Diagnostics.Metrics;

using Microsoft.Extensions.Logging;

using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

using StarSync.Otlp;

namespace StarSync.Testing.Tests;

/// <summary>The real OpenTelemetry SDK and OTLP/gRPC exporter send to the receiver; the tests check what it decoded.</summary>
public sealed partial class OtlpReceiverTests
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Spans_FromOtlpGrpcExporter_DecodeIdsParentAttributesLinkStatusAndService()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var sourceName = UniqueName("Spans");
        using var source = new ActivitySource(sourceName);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        string traceId, parentId, childId;
        DateTime childStart;

        using (var tracing = TracerProvider(receiver, sourceName, "otlp-span-test"))
        {
            using var parent = source.StartActivity("sync", ActivityKind.Server);
            Assert.NotNull(parent);
            parent.SetTag("sync.id", "s-1");
            using (var child = source.StartActivity(
                "push", ActivityKind.Client, parent.Context,
                links: [new ActivityLink(linked, new ActivityTagsCollection { ["link.reason"] = "retry" })]))
            {
                Assert.NotNull(child);
                child.SetTag("repository", "octo/hello");
                child.SetTag("attempt", 3);
                child.SetTag("forced", true);
                child.SetTag("ratio", 0.25);
                child.SetTag("refs", new[] { "main", "dev" });
                child.AddEvent(new ActivityEvent("retrying"));
                child.SetStatus(ActivityStatusCode.Error, "push rejected");
                (childId, childStart) = (child.SpanId.ToHexString(), child.StartTimeUtc);
            }
            (traceId, parentId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString());
            parent.Stop();
        }

        var spans = await receiver.WaitForSpansAsync(static s => s.Count >= 2, ExportTimeout, ct);

        Assert.Equal(2, spans.Count);
        var root = Assert.Single(spans, static s => s.Name == "sync");
        var push = Assert.Single(spans, static s => s.Name == "push");
        Assert.Equal((traceId, parentId, (string?)null), (root.TraceId, root.SpanId, root.ParentSpanId));
        Assert.Equal((traceId, childId, parentId), (push.TraceId, push.SpanId, push.ParentSpanId));
        Assert.All(spans, s => Assert.Equal(("otlp-span-test", sourceName), (s.ServiceName, s.ScopeName)));
        Assert.Equal((ActivityKind.Server, ActivityKind.Client), (root.Kind, push.Kind));
        Assert.Equal(new DateTimeOffset(childStart), push.Start);
        Assert.True(push.End >= push.Start, $"end {push.End:O} before start {push.Start:O}");

        Assert.Equal("s-1", root.Attributes["sync.id"]);
        Assert.Equal("octo/hello", push.Attributes["repository"]);
        Assert.Equal(3L, push.Attributes["attempt"]);
        Assert.Equal(true, push.Attributes["forced"]);
        Assert.Equal(0.25, push.Attributes["ratio"]);
        Assert.Equal(["main", "dev"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(push.Attributes["refs"]));

        var link = Assert.Single(push.Links);
        Assert.Equal((linked.TraceId.ToHexString(), linked.SpanId.ToHexString()), (link.TraceId, link.SpanId));
        Assert.Equal("retry", link.Attributes["link.reason"]);
        Assert.Empty(root.Links);

        Assert.Equal((ActivityStatusCode.Error, "push rejected"), (push.StatusCode, push.StatusMessage));
        Assert.Equal((ActivityStatusCode.Unset, (string?)null), (root.StatusCode, root.StatusMessage));
        Assert.Equal(["retrying"], push.EventNames);

        var tree = new SpanTree(spans);
        Assert.Same(root, Assert.Single(tree.RootsOf(traceId)));
        Assert.Same(push, Assert.Single(tree.ChildrenOf(root)));
        Assert.True(tree.IsDescendantOf(push, root));
        Assert.False(tree.IsDescendantOf(root, push));
    }

    [Fact]
    public async Task Logs_WrittenInsideActivity_CarryItsTraceAndSpanIdsBodyAndAttributes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var category = UniqueName("Logs");
        var before = DateTimeOffset.UtcNow;
        using var activity = new Activity("log-parent").Start();

        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel =>
        {
            otel.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otlp-log-test"));
            otel.AddOtlpExporter(o => ExportTo(o, receiver));
        })))
        {
            var logger = loggerFactory.CreateLogger(category);
            LogSynced(logger, "octo/hello", 7);
            activity.Stop();
            LogSynced(logger, "octo/outside", 1);
        }

        var logs = await receiver.WaitForLogsAsync(static l => l.Count >= 2, ExportTimeout, ct);
        Assert.Equal(2, logs.Count);
        var log = logs[0];
        Assert.Equal((activity.TraceId.ToHexString(), activity.SpanId.ToHexString()), (log.TraceId, log.SpanId));
        Assert.Equal(("otlp-log-test", category), (log.ServiceName, log.ScopeName));
        Assert.Equal((13, "Warning", "LogSynced"), (log.SeverityNumber, log.SeverityText, log.EventName));
        Assert.Equal("Synced {Repository} in {Steps} steps", log.Body);
        Assert.Equal("octo/hello", log.Attributes["Repository"]);
        Assert.Equal(7L, log.Attributes["Steps"]);
        Assert.InRange(log.Timestamp, before, DateTimeOffset.UtcNow);
        var outside = logs[1];
        Assert.Equal("octo/outside", outside.Attributes["Repository"]);
        Assert.Equal(((string?)null, (string?)null), (outside.TraceId, outside.SpanId));
    }

    [Fact]
    public async Task Metrics_ForceFlushedExport_IsAcceptedAndCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var meterName = UniqueName("Metrics");
        using var meter = new Meter(meterName);
        var syncs = meter.CreateCounter<long>("starsync.test.syncs");
        using var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otlp-metric-test"))
            .AddMeter(meterName)
            .AddOtlpExporter(o => ExportTo(o, receiver))
            .Build();

        syncs.Add(3);

        Assert.Equal(0, receiver.MetricExports);
        // True only when the export got an OK answer.
        Assert.True(metrics.ForceFlush((int)ExportTimeout.TotalMilliseconds));
        Assert.True(receiver.MetricExports >= 1, $"{receiver.MetricExports} metric exports");
    }

    [Fact]
    public async Task WaitForSpans_ConditionMetByLaterExport_CompletesWithThatExport()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var sourceName = UniqueName("Wait");
        using var source = new ActivitySource(sourceName);
        using var tracing = TracerProvider(receiver, sourceName, "otlp-wait-test");

        var waiting = receiver.WaitForSpansAsync(static s => s.Any(static x => x.Name == "late"), ExportTimeout, ct);
        Assert.False(waiting.IsCompleted);
        source.StartActivity("early")?.Dispose();
        source.StartActivity("late")?.Dispose();

        var spans = await waiting;
        Assert.Contains(spans, static s => s.Name == "late");
        Assert.Equal(["early", "late"], receiver.Spans.Select(static s => s.Name));
    }

    [Fact]
    public async Task WaitForSpans_ConditionNeverTrue_ThrowsTimeoutListingWhatArrived()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var sourceName = UniqueName("Timeout");
        using var source = new ActivitySource(sourceName);
        using (TracerProvider(receiver, sourceName, "otlp-timeout-test"))
        {
            source.StartActivity("listed-span")?.Dispose();
            source.StartActivity("listed-span")?.Dispose();
        }
        await receiver.WaitForSpansAsync(static s => s.Count >= 2, ExportTimeout, ct);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => receiver.WaitForSpansAsync(
            static s => s.Any(static x => x.Name == "never-exported"), TimeSpan.FromMilliseconds(300), ct));

        Assert.Contains("Received 2 span(s) in 2 trace(s); otlp-timeout-test: listed-span x2.", error.Message, StringComparison.Ordinal);
        Assert.Contains("0 log record(s)", error.Message, StringComparison.Ordinal);
    }

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Synced {Repository} in {Steps} steps")]
    private static partial void LogSynced(ILogger logger, string repository, int steps);

    private static TracerProvider TracerProvider(OtlpReceiver receiver, string sourceName, string serviceName) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(sourceName)
            .AddOtlpExporter(o => ExportTo(o, receiver))
            .Build();

    private static void ExportTo(OtlpExporterOptions options, OtlpReceiver receiver)
    {
        options.Endpoint = receiver.Endpoint;
        options.Protocol = OtlpExportProtocol.Grpc;
        options.ExportProcessorType = ExportProcessorType.Simple;
    }

    private static string UniqueName(string test) => $"StarSync.Otlp.Tests.{test}.{Guid.NewGuid():N}";
}
