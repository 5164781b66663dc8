using MassTransit;
using MassTransit.Testing;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using StarSync.Emulators;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Stars;

namespace StarSync.Orchestrator.Tests.Stars;

/// <summary>
/// <see cref="StarsHosting.AddStarPolling"/> and <see cref="StarsHosting.AddStarConsumers"/> in a plain host against the
/// GitHub emulator, a private PostgreSQL database (migrated as the Orchestrator migrates it) and MassTransit's in-memory
/// test harness. <see cref="StartAsync"/> starts only the bus, without the hosted poller (tests drive
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
        var host = await BuildAsync(PollerSettings(github, overrides), database, time, hosted: false);
        await host.Services.GetRequiredService<ITestHarness>().Start();
        return new StarPollerHost(host);
    }

    public static async Task<StarPollerHost> StartHostAsync(GitHubEmulator github, string database, CancellationToken ct, params (string Key, string? Value)[] overrides) =>
        await StartHostAsync(PollerSettings(github, overrides), database, ct);

    /// <summary>The whole host with exactly <paramref name="settings"/> (the hosted services run, the bus is the harness).</summary>
    public static async Task<StarPollerHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings, string? database, CancellationToken ct)
    {
        var host = await BuildAsync(settings, database, null, hosted: true);
        await host.StartAsync(ct);
        return new StarPollerHost(host) { _hostStarted = true };
    }

    private static Dictionary<string, string?> PollerSettings(GitHubEmulator github, (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["GitHub:WebUrl"] = github.BaseUrl.ToString(),
            ["GitHub:Token"] = github.Token,
            ["Stars:PollInterval"] = "00:00:05",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Builds the host and, with a <paramref name="database"/>, migrates it first (the Orchestrator migrates before anything runs).</summary>
    private static async Task<IHost> BuildAsync(IReadOnlyDictionary<string, string?> settings, string? database, TimeProvider? time, bool hosted)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddLogging();
        if (database is not null)
        {
            builder.Services.AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(database));
        }
        builder.AddStarPolling();
        if (!hosted)
        {
            // The harness starts every hosted service: without this the background poller would race the test.
            builder.Services.RemoveAll<IHostedService>();
        }

        builder.Services.AddMassTransitTestHarness(x => x.AddStarConsumers(builder.Configuration));
        var host = builder.Build();
        if (database is not null)
        {
            await new DatabaseMigrator(host.Services.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(),
                Options.Create(new OrchestratorOptions()), host.Services.GetRequiredService<ILogger<DatabaseMigrator>>())
                .StartAsync(CancellationToken.None);
        }
        return host;
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
