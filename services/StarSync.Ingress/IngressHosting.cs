using MassTransit;

using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.Ingress.Admin;
using StarSync.Ingress.Stars;
using StarSync.Ingress.Tokens;
using StarSync.ServiceDefaults;

namespace StarSync.Ingress;

/// <summary>
/// Everything the Ingress host registers beyond the defaults: options, the bus, the webhook's and the admin API's
/// services, the star poller, and the answers to GitHub user token requests. <c>Program.cs</c> maps the endpoints.
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
        // The Ingress owns the GitHub user token (and its single-use refresh token, whose rotations it keeps in its
        // store): registered, and so validated and its store read at start, even while the star poller is off. With
        // StarSync:SecretKey it hands the access token, sealed, to processes without a user credential of their own.
        if (GetGitHubUserTokenConsumer.OwnsUserToken(builder.Configuration))
        {
            builder.Services.AddGitHubClient();
        }

        var servesUserTokens = GetGitHubUserTokenConsumer.IsEnabled(builder.Configuration);

        builder.AddStarSyncBus(x =>
        {
            // The Orchestrator answers these (Status/MirrorStatusConsumer); the admin API bounds each call itself.
            x.AddRequestClient<GetMirrorStatus>();
            x.AddRequestClient<ListMirrors>();
            if (servesUserTokens)
            {
                x.AddConsumer<GetGitHubUserTokenConsumer, GetGitHubUserTokenConsumerDefinition>();
            }
        });
        // Polls the starred list (GitHub sends no webhook for stars of other people's repositories).
        builder.AddStarPolling();
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
