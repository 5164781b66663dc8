using MassTransit;

using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.Contracts;
using StarSync.Ingress.Admin;
using StarSync.ServiceDefaults;

namespace StarSync.Ingress;

/// <summary>
/// Everything the Ingress host adds to the defaults: options, the bus, the webhook, the admin API and the status page.
/// The Ingress keeps no state (no database, no GitHub token): any number of replicas can run behind a load balancer.
/// The star poller and the GitHub user token live in the Orchestrator; the admin API reaches them over the bus.
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
        builder.Services.AddScoped<AdminApi>();
        // Program.cs is the same six lines in every service and maps only the default endpoints, so the webhook,
        // the admin API and the status page are mapped by a startup filter, in front of the application's own pipeline.
        builder.Services.AddTransient<IStartupFilter, WebhookStartupFilter>();
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

    /// <summary>
    /// Routes <c>POST /webhooks/github</c>, the admin API (<c>/admin</c>) and the status page (<c>GET /</c>) ahead of
    /// the WebApplication pipeline (ASP.NET Core supports <c>UseRouting</c> in a startup filter), behind the
    /// problem-details exception handler. The admin token is checked between routing and the endpoints, so before
    /// any parameter binding or body read.
    /// </summary>
    private sealed class WebhookStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseExceptionHandler();
            app.UseRouting();
            app.UseMiddleware<AdminAuthenticationMiddleware>();
            app.UseEndpoints(static endpoints =>
            {
                endpoints.MapGitHubWebhook();
                endpoints.MapAdminApi();
                endpoints.MapStatusPage();
            });
            next(app);
        };
    }
}
