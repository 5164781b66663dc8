using StarSync.GitHub;

namespace StarSync.GitWorker;

/// <summary>
/// The GitHub token git uses for fetches (sent to the source repository's host only, through the environment):
/// from <see cref="GitHubTokenProvider"/>, the personal access token or a GitHub App installation token renewed
/// before it expires. With no GitHub credential configured there is none, and git fetches anonymously, which is
/// enough for public repositories.
/// </summary>
internal sealed class GitHubGitToken(GitHubTokenProvider provider)
{
    /// <summary>The token for the next git command, or null to fetch anonymously.</summary>
    public ValueTask<string?> GetAsync(CancellationToken cancellationToken) => provider.GetInstallationTokenAsync(cancellationToken);
}
