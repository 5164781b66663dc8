namespace StarSync.OneDev;

/// <summary>
/// The fields StarSync sends to <c>POST /~api/projects</c>. The flags default to OneDev's own defaults
/// (code, packs and issues on, time tracking off); set them explicitly for what you mean.
/// </summary>
/// <param name="Name">One path segment; OneDev expects <c>\w[\w-.]*</c> (not validated over REST, so callers must).</param>
/// <param name="ParentId">The parent project, or null for a root project.</param>
public sealed record NewOneDevProject(string Name, long? ParentId)
{
    /// <summary>Shown on the project page; OneDev truncates it to 15000 characters.</summary>
    public string? Description { get; init; }

    public bool CodeManagement { get; init; } = true;

    public bool PackManagement { get; init; } = true;

    public bool IssueManagement { get; init; } = true;

    public bool TimeTracking { get; init; }
}
