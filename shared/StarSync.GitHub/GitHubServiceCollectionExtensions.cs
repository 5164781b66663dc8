using System.Net.Http.Headers;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace StarSync.GitHub;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GitHubClientOptions"/> from section <c>GitHub</c> (validated at start) and registers the
    /// singleton <see cref="GitHubTokenProvider"/> and the typed <see cref="GitHubClient"/> (no automatic redirects, so
    /// 301s after renames are seen). Uses the registered <see cref="TimeProvider"/> (the system clock if none). With
    /// <paramref name="allowAnonymous"/>, no credential at all is valid too: repository reads are then anonymous
    /// (GitHub allows 60 an hour per address), and user calls fail.
    /// </summary>
    public static IServiceCollection AddGitHubClient(this IServiceCollection services, bool allowAnonymous = false)
    {
        services.AddOptions<GitHubClientOptions>()
            .BindConfiguration(GitHubClientOptions.Section)
            .PostConfigure(o => o.AllowAnonymous = allowAnonymous)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(GitHubTokenProvider.AuthClientName, (sp, http) => Configure(sp, http, setBaseAddress: false))
            .ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.TryAddSingleton(sp => new GitHubTokenProvider(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<GitHubClientOptions>>(), sp.GetRequiredService<TimeProvider>()));
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
