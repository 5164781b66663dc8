using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using StarSync.GitHub;

namespace StarSync.Ingress.Stars;

/// <summary>Registers star discovery by polling (see <see cref="StarPoller"/> and <see cref="StarPollingService"/>).</summary>
internal static class StarPollingExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StarPollingOptions"/> (section <c>Stars</c>). When polling is on (enabled and the
    /// <c>GitHub</c> section has a user credential: <c>Token</c> or <c>UserAccessToken</c>) registers the GitHub client,
    /// <see cref="StarStore"/> (<c>ConnectionStrings:postgres</c>, required then), <see cref="StarPoller"/> (also as
    /// <see cref="IStarBackfill"/>) and the hosted <see cref="StarPollingService"/>. Otherwise one log line says why it
    /// is off and <see cref="IStarBackfill"/> reports it unavailable. Expects the bus (<c>AddStarSyncBus</c>) to be added.
    /// </summary>
    public static IHostApplicationBuilder AddStarPolling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StarPollingOptions>()
            .BindConfiguration(StarPollingOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (o, configuration) => !o.Enabled || OffReason(configuration) is not null
                    || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(StarPollingOptions.ConnectionStringName)),
                "The connection string ConnectionStrings:postgres (environment variable ConnectionStrings__postgres) is required "
                + "for star polling; set Stars:Enabled=false to turn polling off.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        if (OffReason(builder.Configuration) is { } reason)
        {
            services.AddSingleton<IStarBackfill>(new StarBackfillUnavailable(reason));
            services.AddHostedService(sp => new StarPollingOff(reason, sp.GetRequiredService<ILogger<StarPollingOff>>()));
            return builder;
        }

        services.AddGitHubClient();
        services.AddSingleton(sp => new StarStore(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(StarPollingOptions.ConnectionStringName)
            ?? throw new OptionsValidationException(StarPollingOptions.Section, typeof(StarPollingOptions), ["ConnectionStrings:postgres is required for star polling."])));
        services.AddSingleton<StarPoller>();
        services.AddSingleton<IStarBackfill>(sp => sp.GetRequiredService<StarPoller>());
        services.AddSingleton<StarPollingService>();
        services.AddHostedService(sp => sp.GetRequiredService<StarPollingService>());
        return builder;
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
