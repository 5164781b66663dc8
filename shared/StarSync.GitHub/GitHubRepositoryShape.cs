using System.Net;

using StarSync.Contracts;

namespace StarSync.GitHub;

/// <summary>
/// GitHub's repository object as Octokit's deserializer fills it (snake_case names), with every field nullable: Octokit's
/// own <c>Repository</c> reads an absent <c>private</c> as false (public), which <see cref="GitHubRepositoryFields"/>
/// must see as absent to take the safe reading. Only the fields StarSync maps are read.
/// </summary>
internal sealed class GitHubRepositoryShape
{
    public long? Id { get; set; }

    public string? Name { get; set; }

    public string? FullName { get; set; }

    public OwnerShape? Owner { get; set; }

    public string? CloneUrl { get; set; }

    public string? HtmlUrl { get; set; }

    public string? DefaultBranch { get; set; }

    public bool? Private { get; set; }

    public long? Size { get; set; }

    public string? Description { get; set; }

    /// <summary>Through <see cref="GitHubRepositoryFields"/>; an unusable answer throws a permanent <see cref="GitHubException"/>.</summary>
    public GitHubRepository ToRepository(string operation) =>
        GitHubRepositoryFields.TryCreate(Id, Owner?.Login, Name, FullName, CloneUrl, HtmlUrl, DefaultBranch, Private, Size, Description, out var repository, out var problem)
            ? repository
            : throw new GitHubException($"GitHub answered with an unusable repository ({problem}) when asked to {operation}.", HttpStatusCode.OK, isTransient: false);

    internal sealed class OwnerShape
    {
        public string? Login { get; set; }
    }
}
