namespace StarSync.Contracts;

/// <summary>Command: delete a mirror's OneDev project, after an unstar under the <c>Delete</c> policy.</summary>
public sealed record DeleteOneDevProject(
    Guid MirrorId,
    long ProjectId,
    string FullName);
