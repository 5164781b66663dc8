namespace StarSync.Contracts;

/// <summary>Command: mark a mirror's OneDev project as archived (a note in its description), after an unstar.</summary>
public sealed record ArchiveOneDevProject(
    Guid MirrorId,
    long ProjectId,
    string FullName,
    string Note);
