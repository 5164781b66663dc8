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

    private GitHubClientHost(ServiceProvider services) => _services = services;

    public GitHubClient Client => _services.GetRequiredService<GitHubClient>();

    public GitHubTokenProvider Tokens => _services.GetRequiredService<GitHubTokenProvider>();

    public static GitHubClientHost WithToken(GitHubEmulator github, TimeProvider time, string? token = null) =>
        Create(github, time, new() { ["GitHub:Token"] = token ?? github.Token });

    /// <summary>App auth against an emulator on which <see cref="GitHubEmulator.EnableApp(long, RSA, long, TimeSpan?)"/> was called with <paramref name="key"/>.</summary>
    public static GitHubClientHost WithApp(GitHubEmulator github, TimeProvider time, RSA key, GitHubUserTokenPair? user = null, string? refreshToken = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = AppId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GitHub:AppPrivateKey"] = key.ExportRSAPrivateKeyPem(),
            ["GitHub:InstallationId"] = InstallationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (user is not null)
        {
            settings["GitHub:UserAccessToken"] = user.AccessToken;
            settings["GitHub:UserRefreshToken"] = refreshToken ?? user.RefreshToken;
            settings["GitHub:AppClientId"] = github.AppClientId;
            settings["GitHub:AppClientSecret"] = github.AppClientSecret;
        }

        return Create(github, time, settings);
    }

    public static GitHubClientHost Create(GitHubEmulator github, TimeProvider time, Dictionary<string, string?> settings, bool allowAnonymous = false)
    {
        settings["GitHub:ApiUrl"] = github.ApiUrl.ToString();
        settings["GitHub:WebUrl"] = github.BaseUrl.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(time);
        services.AddGitHubClient(allowAnonymous);
        return new GitHubClientHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
