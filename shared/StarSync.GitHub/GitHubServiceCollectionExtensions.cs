using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using StarSync.Secrets;

namespace StarSync.GitHub;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GitHubClientOptions"/> from section <c>GitHub</c> (validated at start) and registers the
    /// singleton <see cref="GitHubTokenProvider"/> and <see cref="GitHubClient"/> (Octokit over the named HTTP client
    /// <c>StarSync.GitHub</c>: <c>GitHub:ApiUrl</c>, <c>GitHub:RequestTimeout</c>, <c>GitHub:UserAgent</c>). Uses the registered <see cref="TimeProvider"/> (the system clock if none). With
    /// <paramref name="allowAnonymous"/>, no credential at all is valid too: repository reads are then anonymous
    /// (GitHub allows 60 an hour per address), and user calls fail. Without <paramref name="mayOwnRefreshToken"/> a
    /// configured <c>GitHub:UserRefreshToken</c> fails the start: the single-use refresh token belongs to one process.
    /// The owner of a refresh token reads its store at start (a key that cannot decrypt it fails the start). Only the
    /// first call counts; later ones (another feature of the same host) change nothing.
    /// </summary>
    public static IServiceCollection AddGitHubClient(this IServiceCollection services, bool allowAnonymous = false, bool mayOwnRefreshToken = true)
    {
        if (services.Any(d => d.ServiceType == typeof(GitHubTokenProvider)))
        {
            return services;
        }

        services.AddStarSyncSecrets();
        services.AddOptions<GitHubClientOptions>()
            .BindConfiguration(GitHubClientOptions.Section)
            .PostConfigure(o =>
            {
                o.AllowAnonymous = allowAnonymous;
                o.MayOwnRefreshToken = mayOwnRefreshToken;
            })
            .ValidateDataAnnotations()
            .Validate<IOptions<SecretKeyOptions>>(
                (o, key) => !o.NeedsSecretKey || !string.IsNullOrWhiteSpace(key.Value.SecretKey),
                StarSyncSecrets.MissingKeyMessage(
                    "with GitHub:UserRefreshToken (it encrypts the rotated token pair in GitHub:UserTokenStorePath) and with "
                    + "GitHub:UserTokenFromOwner (it encrypts the tokens on RabbitMQ)"))
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // One handler pipeline for every call (Octokit's adapter wraps it per call, see GitHubCall): no automatic
        // redirects, so GitHubWire sees a rename's 301 and decides whether Octokit may follow it.
        services.AddHttpClient(GitHubConnections.HandlerName).ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.TryAddSingleton(sp => new GitHubResponseCache(sp.GetRequiredService<IOptions<GitHubClientOptions>>().Value.ETagCacheSize));
        services.TryAddSingleton(sp => new GitHubConnections(
            sp.GetRequiredService<IHttpMessageHandlerFactory>(),
            sp.GetRequiredService<IOptions<GitHubClientOptions>>(),
            sp.GetRequiredService<GitHubResponseCache>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GitHubTokenProvider(
            sp.GetRequiredService<GitHubConnections>(),
            sp.GetRequiredService<IOptions<GitHubClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GitHubTokenProvider>>(),
            sp.GetRequiredService<StarSyncSecrets>(),
            sp.GetRequiredService<IOptions<GitHubClientOptions>>().Value.UserTokenFromOwner ? sp.GetService<IGitHubUserTokenSource>() : null));
        services.AddHostedService<GitHubUserTokenStartup>();
        services.TryAddSingleton(sp => new GitHubRateLimitGate(sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddTransient(sp => new GitHubClient(
            sp.GetRequiredService<GitHubConnections>(),
            sp.GetRequiredService<GitHubTokenProvider>(),
            sp.GetRequiredService<GitHubRateLimitGate>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Lets <c>GitHub:UserTokenFromOwner</c> borrow user access tokens through <typeparamref name="TSource"/> (a singleton),
    /// for a process that must not hold the refresh token.
    /// </summary>
    public static IServiceCollection AddGitHubUserTokenSource<TSource>(this IServiceCollection services)
        where TSource : class, IGitHubUserTokenSource
    {
        services.TryAddSingleton<IGitHubUserTokenSource, TSource>();
        services.PostConfigure<GitHubClientOptions>(o => o.CanBorrowUserToken = true);
        return services;
    }

    private static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}
