namespace StarSync.Contracts;

/// <summary>
/// Command for a GitWorker: bring the OneDev project's branches and tags in line with GitHub's. Carries no
/// credentials: each worker has its own GitHub and OneDev tokens from its configuration. <paramref name="BuildSpecs"/>
/// is the mirror's build spec policy (a command without it, from an older Orchestrator, refuses).
/// </summary>
public sealed record MirrorRepository(
    Guid MirrorId,
    int Attempt,
    GitHubRepository Repository,
    long OneDevProjectId,
    string OneDevGitUrl,
    BuildSpecPolicy BuildSpecs = BuildSpecPolicy.Refuse);
