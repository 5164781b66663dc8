using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker;

/// <summary>
/// Where to fetch a repository from, asked of GitHub's API by the repository's id (<c>GET /repositories/{id}</c>,
/// a conditional request) before every sync, never taken from a recorded name or clone URL. After a rename or a
/// transfer, GitHub lets anyone create a new repository under the old name, and the old clone URL then serves the
/// newcomer's refs; a name is not an identity, the id is. When GitHub cannot confirm the id (unreachable, rate
/// limited), the sync fails transiently and is retried later rather than fetched by name.
/// </summary>
internal sealed class UpstreamRepository(GitHubClient gitHub, ILogger<UpstreamRepository> logger)
{
    /// <summary>The repository as GitHub describes it now; throws <see cref="GitException"/> when that is not known.</summary>
    public async Task<GitHubRepository> ResolveAsync(GitHubRepository recorded, CancellationToken cancellationToken)
    {
        var what = $"GitHub repository #{recorded.Id} (last known as {recorded.FullName})";
        RepositoryLookup lookup;
        try
        {
            lookup = await gitHub.GetRepositoryAsync(recorded.Id, cancellationToken);
        }
        catch (GitHubRateLimitedException ex)
        {
            throw new GitException(new GitFailure(
                $"could not confirm {what} by its id, so nothing was fetched: {ex.Message}", Transient: true, RetryAt: ex.RetryAt));
        }
        catch (GitHubException ex)
        {
            throw new GitException(new GitFailure(
                $"could not confirm {what} by its id, so nothing was fetched: {ex.Message}", ex.IsTransient));
        }

        switch (lookup.Status)
        {
            case RepositoryLookupStatus.NotFound:
                throw new GitException(new GitFailure(
                    $"{what} no longer exists on GitHub (or the token can no longer see it); the mirror is kept as it was",
                    Transient: false, UpstreamGone: "deleted"));
            case RepositoryLookupStatus.Blocked:
                throw new GitException(new GitFailure(
                    $"GitHub blocks access to {what}; the mirror is kept as it was", Transient: false, UpstreamGone: "blocked"));
        }

        var current = lookup.Repository!;
        if (current.Id != recorded.Id)
        {
            // Never fetch what GitHub says is another repository.
            throw new GitException(new GitFailure(
                $"GitHub answered the lookup of {what} with repository #{current.Id} ({current.FullName}); nothing was fetched",
                Transient: true));
        }
        if (!string.Equals(current.CloneUrl, recorded.CloneUrl, StringComparison.Ordinal))
        {
            logger.UpstreamMoved(recorded.Id, recorded.FullName, current.FullName);
        }
        return current;
    }
}
