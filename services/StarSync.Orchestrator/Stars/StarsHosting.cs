using MassTransit;

using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.GitHub;
using StarSync.Orchestrator.Tokens;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Registers star discovery by polling (see <see cref="StarPoller"/> and <see cref="StarPollingService"/>) and the
/// ownership of the GitHub user token: both live in the Orchestrator, the one process with a database (docs/architecture.md).
/// </summary>
internal static class StarsHosting
{
    /// <summary>
    /// Binds and validates <see cref="StarPollingOptions"/> (section <c>Stars</c>). The Orchestrator owns the GitHub user
    /// token (and its single-use refresh token, whose rotations it keeps in its store): when it is configured the GitHub
    /// client is registered, and so validated and its store read at start, even while the star poller is off. When
    /// polling is on (enabled and the <c>GitHub</c> section has a user credential: <c>Token</c> or <c>UserAccessToken</c>)
    /// registers <see cref="StarStore"/> (in the Orchestrator's database), <see cref="StarPoller"/> (also as
    /// <see cref="IStarBackfill"/>) and the hosted <see cref="StarPollingService"/>. Otherwise one log line says why it
    /// is off and <see cref="IStarBackfill"/> reports it unavailable. Expects the database context factory and the bus.
    /// </summary>
    public static IHostApplicationBuilder AddStarPolling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StarPollingOptions>()
            .BindConfiguration(StarPollingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        if (GetGitHubUserTokenConsumer.OwnsUserToken(builder.Configuration))
        {
            services.AddGitHubClient();
        }

        if (OffReason(builder.Configuration) is { } reason)
        {
            services.AddSingleton<IStarBackfill>(new StarBackfillUnavailable(reason));
            services.AddHostedService(sp => new StarPollingOff(reason, sp.GetRequiredService<ILogger<StarPollingOff>>()));
            return builder;
        }

        services.AddGitHubClient();
        services.AddSingleton<StarStore>();
        services.AddSingleton<StarPollerMetrics>();
        services.AddSingleton<StarPoller>();
        services.AddSingleton<IStarBackfill>(sp => sp.GetRequiredService<StarPoller>());
        services.AddSingleton<StarPollingService>();
        services.AddHostedService(sp => sp.GetRequiredService<StarPollingService>());
        return builder;
    }

    /// <summary>
    /// The consumers: <see cref="BackfillStarsConsumer"/> (the admin API's backfill, answered also while polling is off)
    /// and, when this Orchestrator can share the user token (<see cref="GetGitHubUserTokenConsumer.IsEnabled"/>),
    /// <see cref="GetGitHubUserTokenConsumer"/>.
    /// </summary>
    public static IBusRegistrationConfigurator AddStarConsumers(this IBusRegistrationConfigurator x, IConfiguration configuration)
    {
        x.AddConsumer<BackfillStarsConsumer>();
        if (GetGitHubUserTokenConsumer.IsEnabled(configuration))
        {
            x.AddConsumer<GetGitHubUserTokenConsumer, GetGitHubUserTokenConsumerDefinition>();
        }
        return x;
    }

    /// <summary>Why polling is off, or null when it is on.</summary>
    internal static string? OffReason(IConfiguration configuration)
    {
        if (!configuration.GetValue(StarPollingOptions.Section + ":" + nameof(StarPollingOptions.Enabled), true))
        {
            return "Stars:Enabled is false.";
        }

        var github = configuration.GetSection(GitHubClientOptions.Section);
        if (!string.IsNullOrWhiteSpace(github[nameof(GitHubClientOptions.Token)])
            || !string.IsNullOrWhiteSpace(github[nameof(GitHubClientOptions.UserAccessToken)]))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(github[nameof(GitHubClientOptions.AppId)])
            ? "the GitHub section has no credentials (GitHub:Token or GitHub:UserAccessToken)."
            : "the GitHub App has no user access token (GitHub:UserAccessToken); GET /user/starred needs a user's token.";
    }
}
