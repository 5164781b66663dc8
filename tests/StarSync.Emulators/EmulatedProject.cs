namespace StarSync.Emulators;

/// <summary>A snapshot of one project held by <see cref="OneDevEmulator"/>.</summary>
public sealed record EmulatedProject(
    long Id,
    long? ParentId,
    string Name,
    string Path,
    string? Key,
    string? Description,
    bool CodeManagement,
    bool PackManagement,
    bool IssueManagement,
    bool TimeTracking,
    long? ForkedFromId,
    string? ServiceDeskEmailAddress,
    DateTimeOffset CreateDate);
