namespace StarSync.Contracts;

/// <summary>
/// Command for a GitWorker: bring the OneDev project's branches and tags in line with GitHub's. Carries no
/// credentials: each worker has its own GitHub and OneDev tokens from its configuration.
/// </summary>
public sealed record MirrorRepository(
    Guid MirrorId,
    int Attempt,
    GitHubRepository Repository,
    long OneDevProjectId,
    string OneDevGitUrl);
