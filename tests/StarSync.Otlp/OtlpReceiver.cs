using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace StarSync.Otlp;

/// <summary>
/// An OTLP/gRPC receiver hosted in the test process: Kestrel on 127.0.0.1, a port of its own, HTTP/2 without TLS, the
/// trace, logs and metrics collector services. Point an OTLP exporter (OTEL_EXPORTER_OTLP_ENDPOINT, protocol grpc) at
/// <see cref="Endpoint"/> and assert on <see cref="Spans"/> and <see cref="Logs"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OtlpStore _store;

    private OtlpReceiver(WebApplication app, OtlpStore store, Uri endpoint)
    {
        _app = app;
        _store = store;
        Endpoint = endpoint;
    }

    /// <summary>The address to export to, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The spans received so far, in arrival order; an immutable snapshot.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => _store.Spans;

    /// <summary>The log records received so far, in arrival order; an immutable snapshot.</summary>
    public IReadOnlyList<ReceivedLog> Logs => _store.Logs;

    /// <summary>How many metrics export requests arrived (their data points are not decoded).</summary>
    public int MetricExports => _store.MetricExports;

    /// <summary>Starts Kestrel on 127.0.0.1, on a port the kernel picks, speaking HTTP/2 without TLS (h2c).</summary>
    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        // The empty builder reads no configuration (no ASPNETCORE_URLS, no appsettings) and logs nowhere.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(static kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, static listen => listen.Protocols = HttpProtocols.Http2);
            // Batches of a busy end-to-end run can be large; the exporters' own limit is the one that matters.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var store = new OtlpStore();
        builder.Services.AddSingleton(store);
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(static grpc => grpc.MaxReceiveMessageSize = null);

        var app = builder.Build();
        app.MapGrpcService<TraceReceiverService>();
        app.MapGrpcService<LogsReceiverService>();
        app.MapGrpcService<MetricsReceiverService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.Single();
            return new OtlpReceiver(app, store, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until <paramref name="until"/> holds for the received spans, checking now and after every export
    /// (of any signal); returns the snapshot it held for.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message
    /// lists what was received (span names per service, log and metric counts).</exception>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _store.WaitAsync(() => _store.Spans, until, timeout, "spans", cancellationToken);

    /// <summary>Like <see cref="WaitForSpansAsync"/>, over the received log records.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public Task<IReadOnlyList<ReceivedLog>> WaitForLogsAsync(
        Func<IReadOnlyList<ReceivedLog>, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _store.WaitAsync(() => _store.Logs, until, timeout, "logs", cancellationToken);

    /// <summary>Stops Kestrel; the received telemetry stays readable.</summary>
    public async ValueTask DisposeAsync()
    {
        // Idle exporter connections get a GOAWAY and close; a stuck one does not hold the test up for long.
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
