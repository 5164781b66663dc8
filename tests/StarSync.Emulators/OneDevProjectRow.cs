namespace StarSync.Emulators;

/// <summary>What OneDev's project query needs to know about one project.</summary>
internal sealed record OneDevProjectRow(EmulatedProject Project, string? ParentPath, string? ForkedFromPath, bool IsLeaf, DateTimeOffset LastActivityDate);
