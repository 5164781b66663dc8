using System.Security.Cryptography;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

/// <summary>A service provider with <c>AddGitHubClient()</c> pointed at an emulator, configured as a host would be.</summary>
internal sealed class GitHubClientHost : IAsyncDisposable
{
    public const long AppId = 4242;
    public const long InstallationId = 777;

    private readonly ServiceProvider _services;
    private TokenStoreLocation? _ownStore;

    private GitHubClientHost(ServiceProvider services) => _services = services;

    public GitHubClient Client => _services.GetRequiredService<GitHubClient>();

    public GitHubTokenProvider Tokens => _services.GetRequiredService<GitHubTokenProvider>();

    public GitHubConnections Connections => _services.GetRequiredService<GitHubConnections>();

    public GitHubResponseCache ResponseCache => _services.GetRequiredService<GitHubResponseCache>();

    public static GitHubClientHost WithToken(GitHubEmulator github, TimeProvider time, string? token = null) =>
        Create(github, time, new() { ["GitHub:Token"] = token ?? github.Token });

    /// <summary>
    /// App auth against an emulator on which <see cref="GitHubEmulator.EnableApp(long, RSA, long, TimeSpan?)"/> was called
    /// with <paramref name="key"/>. With <paramref name="user"/>, this host owns that user token and its refresh token,
    /// keeping rotated pairs in <paramref name="store"/> (a private one when null).
    /// </summary>
    public static GitHubClientHost WithApp(GitHubEmulator github, TimeProvider time, RSA key, GitHubUserTokenPair? user = null, string? refreshToken = null,
        TokenStoreLocation? store = null, bool knownExpiry = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = AppId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GitHub:AppPrivateKey"] = key.ExportRSAPrivateKeyPem(),
            ["GitHub:InstallationId"] = InstallationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        TokenStoreLocation? own = null;
        if (user is not null)
        {
            store ??= own = new TokenStoreLocation();
            settings["GitHub:UserAccessToken"] = user.AccessToken;
            settings["GitHub:UserRefreshToken"] = refreshToken ?? user.RefreshToken;
            settings["GitHub:AppClientId"] = github.AppClientId;
            settings["GitHub:AppClientSecret"] = github.AppClientSecret;
            settings["GitHub:UserTokenStorePath"] = store.FilePath;
            settings["StarSync:SecretKey"] = store.SecretKey;
            if (knownExpiry)
            {
                settings["GitHub:UserAccessTokenExpiresAt"] = user.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var host = Create(github, time, settings);
        host._ownStore = own;
        return host;
    }

    public static GitHubClientHost Create(GitHubEmulator github, TimeProvider time, Dictionary<string, string?> settings, bool allowAnonymous = false,
        IGitHubUserTokenSource? source = null)
    {
        settings["GitHub:ApiUrl"] = github.ApiUrl.ToString();
        settings["GitHub:WebUrl"] = github.BaseUrl.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(time);
        services.AddGitHubClient(allowAnonymous, mayOwnRefreshToken: source is null);
        if (source is not null)
        {
            services.AddSingleton(source);
            services.AddGitHubUserTokenSource<IGitHubUserTokenSource>();
        }
        return new GitHubClientHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _ownStore?.Dispose();
    }
}
