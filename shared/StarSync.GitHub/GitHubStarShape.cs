namespace StarSync.GitHub;

/// <summary>One item of <c>GET /user/starred</c> in the <c>star+json</c> media type: <c>{starred_at, repo}</c>.</summary>
internal sealed class GitHubStarShape
{
    public DateTimeOffset? StarredAt { get; set; }

    public GitHubRepositoryShape? Repo { get; set; }
}
