using StarSync.Testing;
using System.Net.Http.Headers;

using MassTransit;
using MassTransit.Testing;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using StarSync.Contracts;

namespace StarSync.Ingress.Tests.Admin;

/// <summary>
/// The real Ingress host with the admin token set and MassTransit's in-memory test harness in place of RabbitMQ,
/// where <see cref="Orchestrator"/> answers the status requests (unless <see cref="AnswerRequests"/> is off).
/// </summary>
internal sealed class AdminFactory : WebApplicationFactory<Program>
{
    public const string Token = "test-admin-token-9f1c2d7e4b";

    private readonly Dictionary<string, string?> settings = new()
    {
        ["Ingress:WebhookSecret"] = WebhookRequest.Secret,
        ["Ingress:AdminToken"] = Token,
        ["ConnectionStrings:rabbitmq"] = IngressFactory.UnusedBroker,
    };

    public AdminFactory(params (string Key, string? Value)[] overrides)
    {
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
    }

    public FakeOrchestrator Orchestrator { get; } = new();

    /// <summary>Off: nothing answers GetMirrorStatus, ListMirrors or BackfillStars, as when the Orchestrator is down.</summary>
    public bool AnswerRequests { get; init; } = true;

    /// <summary>Registrations applied after the harness.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public CapturedLogs Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>A client sending <c>Authorization: Bearer &lt;token&gt;</c> (none when <paramref name="token"/> is null).</summary>
    public HttpClient CreateAdminClient(string? token = Token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(x =>
            {
                if (AnswerRequests)
                {
                    x.AddHandler<GetMirrorStatus>(Orchestrator.AnswerAsync);
                    x.AddHandler<ListMirrors>(Orchestrator.AnswerAsync);
                    x.AddHandler<BackfillStars>(Orchestrator.AnswerAsync);
                }
            });
            // The first request of a test must find the in-memory bus started.
            services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
            TestServices?.Invoke(services);
        });
    }
}
