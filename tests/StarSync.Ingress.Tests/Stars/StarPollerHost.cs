using MassTransit;
using MassTransit.Testing;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.Ingress.Stars;

namespace StarSync.Ingress.Tests.Stars;

/// <summary>
/// <see cref="StarPollingExtensions.AddStarPolling"/> in a plain host against the GitHub emulator, a private PostgreSQL
/// database and MassTransit's in-memory test harness. <see cref="StartAsync"/> starts only the bus, without the hosted poller (tests drive
/// its methods); <see cref="StartHostAsync"/> starts the hosted poller too.
/// </summary>
internal sealed class StarPollerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _hostStarted;
    private bool _disposed;

    private StarPollerHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public StarPoller Poller => Services.GetRequiredService<StarPoller>();

    public StarPollingService Service => Services.GetRequiredService<StarPollingService>();

    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();

    public static async Task<StarPollerHost> StartAsync(GitHubEmulator github, string database, TimeProvider? time = null, params (string Key, string? Value)[] overrides)
    {
        var host = Build(github, database, time, hosted: false, overrides);
        await host.Services.GetRequiredService<ITestHarness>().Start();
        return new StarPollerHost(host);
    }

    public static async Task<StarPollerHost> StartHostAsync(GitHubEmulator github, string database, CancellationToken ct, params (string Key, string? Value)[] overrides)
    {
        var host = Build(github, database, null, hosted: true, overrides);
        await host.StartAsync(ct);
        return new StarPollerHost(host) { _hostStarted = true };
    }

    public static IHost Build(GitHubEmulator github, string database, TimeProvider? time, bool hosted, params (string Key, string? Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["GitHub:WebUrl"] = github.BaseUrl.ToString(),
            ["GitHub:Token"] = github.Token,
            ["ConnectionStrings:postgres"] = database,
            ["Stars:PollInterval"] = "00:00:05",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddLogging();
        builder.AddStarPolling();
        if (!hosted)
        {
            // The harness starts every hosted service: without this the background poller would race the test.
            builder.Services.RemoveAll<IHostedService>();
        }

        builder.Services.AddMassTransitTestHarness();
        return builder.Build();
    }

    /// <summary>Messages of type <typeparamref name="T"/> published so far (the poller awaits each publish).</summary>
    public List<T> Published<T>()
        where T : class =>
        [.. Harness.Published.Select<T>().Select(m => m.Context.Message)];

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_hostStarted)
        {
            await _host.StopAsync(CancellationToken.None);
        }
        else
        {
            await Harness.Stop();
        }

        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
