using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.ServiceDefaults;

namespace StarSync.Ingress;

/// <summary>Everything the Ingress host adds to the defaults: options, the bus (publish only) and the webhook.</summary>
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
        // Program.cs is the same six lines in every service and maps only the default endpoints, so the webhook
        // is mapped by a startup filter, in front of the application's own pipeline.
        builder.Services.AddTransient<IStartupFilter, WebhookStartupFilter>();
        builder.AddStarSyncBus(_ => { });
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
    /// Routes <c>POST /webhooks/github</c> ahead of the WebApplication pipeline (ASP.NET Core supports
    /// <c>UseRouting</c> in a startup filter), behind the problem-details exception handler.
    /// </summary>
    private sealed class WebhookStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseExceptionHandler();
            app.UseRouting();
            app.UseEndpoints(static endpoints => endpoints.MapGitHubWebhook());
            next(app);
        };
    }
}
