using System.Text.Json;

namespace StarSync.OneDev;

/// <summary>
/// A OneDev project as <c>GET /~api/projects/{id}</c> returns it (<c>ProjectData</c>, OneDev 12.0.1+).
/// <see cref="GitPackConfig"/> and <see cref="CodeAnalysisSetting"/> are kept as raw JSON so that
/// <see cref="OneDevClient.UpdateProjectAsync"/> (a full replace) sends them back unchanged.
/// </summary>
public sealed record OneDevProject
{
    public long Id { get; init; }

    /// <summary>Null for a root project.</summary>
    public long? ParentId { get; init; }

    public long? ForkedFromId { get; init; }

    public string Name { get; init; } = "";

    public string? Key { get; init; }

    /// <summary>Read-only on the server: <c>parent path + "/" + name</c>.</summary>
    public string Path { get; init; } = "";

    public string? Description { get; init; }

    public DateTimeOffset? CreateDate { get; init; }

    public bool CodeManagement { get; init; }

    public bool PackManagement { get; init; }

    public bool IssueManagement { get; init; }

    public bool TimeTracking { get; init; }

    public string? ServiceDeskEmailAddress { get; init; }

    public JsonElement? GitPackConfig { get; init; }

    public JsonElement? CodeAnalysisSetting { get; init; }
}
