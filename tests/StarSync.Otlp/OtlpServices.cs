using Grpc.Core;

using StarSync.Otlp.Proto.Collector.Logs.V1;
using StarSync.Otlp.Proto.Collector.Metrics.V1;
using StarSync.Otlp.Proto.Collector.Trace.V1;

namespace StarSync.Otlp;

/// <summary>opentelemetry.proto.collector.trace.v1.TraceService: stores the spans, accepts them all.</summary>
internal sealed class TraceReceiverService(OtlpStore store) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        store.AddSpans(OtlpConversion.ToSpans(request.ResourceSpans).ToArray());
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}

/// <summary>opentelemetry.proto.collector.logs.v1.LogsService: stores the log records, accepts them all.</summary>
internal sealed class LogsReceiverService(OtlpStore store) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        store.AddLogs(OtlpConversion.ToLogs(request.ResourceLogs).ToArray());
        return Task.FromResult(new ExportLogsServiceResponse());
    }
}

/// <summary>opentelemetry.proto.collector.metrics.v1.MetricsService: counts the exports, accepts them all.</summary>
internal sealed class MetricsReceiverService(OtlpStore store) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        store.AddMetricExport();
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}
