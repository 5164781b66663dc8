using System.Net.Http.Headers;

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
    /// singleton <see cref="GitHubTokenProvider"/> and the typed <see cref="GitHubClient"/> (no automatic redirects, so
    /// 301s after renames are seen). Uses the registered <see cref="TimeProvider"/> (the system clock if none). With
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

        services.AddHttpClient(GitHubTokenProvider.AuthClientName, (sp, http) => Configure(sp, http, setBaseAddress: false))
            .ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.AddSingleton(sp => new GitHubTokenProvider(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<GitHubClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GitHubTokenProvider>>(),
            sp.GetRequiredService<StarSyncSecrets>(),
            sp.GetRequiredService<IOptions<GitHubClientOptions>>().Value.UserTokenFromOwner ? sp.GetService<IGitHubUserTokenSource>() : null));
        services.AddHostedService<GitHubUserTokenStartup>();
        services.TryAddSingleton(sp => new GitHubRateLimitGate(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ETagCache(sp.GetRequiredService<IOptions<GitHubClientOptions>>().Value.ETagCacheSize));

        services.AddHttpClient(GitHubClient.ApiClientName, (sp, http) => Configure(sp, http, setBaseAddress: true))
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .AddTypedClient((http, sp) => new GitHubClient(
                http,
                sp.GetRequiredService<GitHubTokenProvider>(),
                sp.GetRequiredService<GitHubRateLimitGate>(),
                sp.GetRequiredService<ETagCache>(),
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

    /// <summary>A root URL with a trailing slash, so relative paths work under <c>/api/v3/</c> too.</summary>
    public static Uri BaseAddress(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }

    private static void Configure(IServiceProvider sp, HttpClient http, bool setBaseAddress)
    {
        var options = sp.GetRequiredService<IOptions<GitHubClientOptions>>().Value;
        if (setBaseAddress)
        {
            http.BaseAddress = BaseAddress(options.ApiUrl);
        }

        http.Timeout = options.RequestTimeout;
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(new ProductHeaderValue(options.UserAgent.Replace(' ', '-'))));
    }

    private static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}
