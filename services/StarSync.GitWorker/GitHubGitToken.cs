using Microsoft.Extensions.Configuration;
using StarSync.GitHub;

namespace StarSync.GitWorker;

/// <summary>
/// The GitHub token git uses for fetches (sent to the source repository's host only, through the environment).
/// With a personal access token or a GitHub App configured in section <c>GitHub</c> (see
/// <see cref="GitHubClientOptions"/>), the token comes from <see cref="GitHubTokenProvider"/>: the token itself,
/// or an installation token renewed before it expires. With nothing configured, git fetches anonymously, which is
/// enough for public repositories.
/// </summary>
internal sealed class GitHubGitToken(GitHubTokenProvider? provider)
{
    public static bool IsConfigured(IConfiguration configuration)
    {
        var section = configuration.GetSection(GitHubClientOptions.Section);
        return new[] { "Token", "AppId", "AppPrivateKey", "InstallationId", "UserAccessToken" }
            .Any(key => !string.IsNullOrWhiteSpace(section[key]));
    }

    /// <summary>The token for the next git command, or null to fetch anonymously.</summary>
    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken) =>
        provider is null ? null : await provider.GetInstallationTokenAsync(cancellationToken);
}
