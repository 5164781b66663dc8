using MassTransit;

using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.Contracts;
using StarSync.Ingress.Admin;
using StarSync.ServiceDefaults;

namespace StarSync.Ingress;

/// <summary>
/// Everything the Ingress host registers beyond the defaults: options, the bus, and the webhook's and the admin API's
/// services; <c>Program.cs</c> maps the endpoints. The Ingress keeps no state (no database, no GitHub token): any number
/// of replicas can run behind a load balancer. The star poller and the GitHub user token live in the Orchestrator; the
/// admin API reaches them over the bus.
/// </summary>
internal static class IngressHosting
{
    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngressOptions>()
            .BindConfiguration(IngressOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<GitHubWebhookEndpoint>();
        builder.Services.AddSingleton<IngressMetrics>();
        builder.Services.AddScoped<AdminApi>();
        builder.AddStarSyncBus(x =>
        {
            // The Orchestrator answers these (Status/MirrorStatusConsumer, Stars/BackfillStarsConsumer); the admin API
            // bounds each call itself.
            x.AddRequestClient<GetMirrorStatus>();
            x.AddRequestClient<ListMirrors>();
            x.AddRequestClient<BackfillStars>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapGitHubWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(GitHubWebhookEndpoint.Route,
                static (HttpContext http, GitHubWebhookEndpoint endpoint) => endpoint.HandleAsync(http))
            .WithName("GitHubWebhook");
        return endpoints;
    }
}
