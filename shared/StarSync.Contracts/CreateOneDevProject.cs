namespace StarSync.Contracts;

/// <summary>Command: make sure the OneDev project for this repository exists (look up first, then create).</summary>
public sealed record CreateOneDevProject(
    Guid MirrorId,
    int Attempt,
    GitHubRepository Repository);
