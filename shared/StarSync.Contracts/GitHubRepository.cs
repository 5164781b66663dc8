namespace StarSync.Contracts;

/// <summary>
/// What StarSync knows of a GitHub repository when it asks for a mirror. <paramref name="Id"/> is GitHub's
/// numeric repository id: it survives renames and transfers, so it is the identity of a mirror.
/// </summary>
public sealed record GitHubRepository(
    long Id,
    string Owner,
    string Name,
    string FullName,
    string CloneUrl,
    string HtmlUrl,
    string DefaultBranch,
    bool Private,
    long SizeKb,
    string? Description);
