using StarSync.Contracts;

namespace StarSync.GitHub;

/// <summary>
/// The answer to a repository lookup. <see cref="Repository"/> is set for <see cref="RepositoryLookupStatus.Found"/>
/// and <see cref="RepositoryLookupStatus.Moved"/>; <see cref="MovedTo"/> is the 301's location.
/// </summary>
public sealed record RepositoryLookup(RepositoryLookupStatus Status, GitHubRepository? Repository, Uri? MovedTo)
{
    public static readonly RepositoryLookup NotFound = new(RepositoryLookupStatus.NotFound, null, null);

    public static readonly RepositoryLookup Blocked = new(RepositoryLookupStatus.Blocked, null, null);

    public static RepositoryLookup Found(GitHubRepository repository) => new(RepositoryLookupStatus.Found, repository, null);

    public static RepositoryLookup Moved(GitHubRepository repository, Uri location) => new(RepositoryLookupStatus.Moved, repository, location);
}
