using StarSync.Contracts;

namespace StarSync.GitHub;

/// <summary>One item of the starred list: when the user starred it, and the repository.</summary>
public sealed record StarredRepository(DateTimeOffset StarredAt, GitHubRepository Repository);
