using StarSync.Testing;
using MassTransit;
using MassTransit.Testing;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StarSync.Ingress.Tests;

/// <summary>
/// The real Ingress host in memory. With the harness (the default), MassTransit's in-memory test bus replaces
/// RabbitMQ; without it, the host talks to whatever <c>ConnectionStrings:rabbitmq</c> names.
/// </summary>
internal sealed class IngressFactory(IReadOnlyDictionary<string, string?> settings, bool useHarness) : WebApplicationFactory<Program>
{
    /// <summary>Never contacted when the harness replaces the bus; port 1 is closed on any sane machine.</summary>
    public const string UnusedBroker = "amqp://guest:guest@127.0.0.1:1/";

    public static IngressFactory WithHarness(params (string Key, string? Value)[] overrides) =>
        new(Settings(overrides), useHarness: true);

    public static IngressFactory WithHarness(Action<IServiceCollection> testServices, params (string Key, string? Value)[] overrides) =>
        new(Settings(overrides), useHarness: true) { TestServices = testServices };

    public static IngressFactory WithoutHarness(params (string Key, string? Value)[] overrides) =>
        new(Settings(overrides), useHarness: false);

    public ITestHarness Harness => Services.GetTestHarness();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Registrations applied after the harness (only with the harness).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (useHarness)
        {
            builder.ConfigureTestServices(services =>
            {
                services.AddMassTransitTestHarness();
                // The first request of a test must find the in-memory bus started.
                services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
                TestServices?.Invoke(services);
            });
        }
    }

    private static Dictionary<string, string?> Settings((string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ingress:WebhookSecret"] = WebhookRequest.Secret,
            ["ConnectionStrings:rabbitmq"] = UnusedBroker,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }
}
