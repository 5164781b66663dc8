using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StarSync.Emulators;

/// <summary>Starts an in-process Kestrel app on 127.0.0.1 with a random port and one terminal request handler.</summary>
internal static class EmulatorHost
{
    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(RequestDelegate handler, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.TrimEnd('/') + "/");
        return (app, baseUrl);
    }

    /// <summary>
    /// Stops an emulator: ends hung requests (<paramref name="stopping"/>), stops the web host, and deletes its
    /// directory on a best-effort basis (a git process may still hold a file; the OS cleans the temp dir later).
    /// </summary>
    public static async Task StopAsync(WebApplication? app, CancellationTokenSource stopping, string root)
    {
        await stopping.CancelAsync();
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        stopping.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, see above.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, see above.
        }
    }
}
