namespace StarSync.Orchestrator.Mirroring;

/// <summary>What happens to a mirror when its repository is unstarred (<c>Mirroring:UnstarPolicy</c>).</summary>
public enum UnstarPolicy
{
    /// <summary>Keep the OneDev project and keep refreshing it.</summary>
    Keep,

    /// <summary>Keep the project, note in its description that it is archived, and stop refreshing it.</summary>
    Archive,

    /// <summary>Delete the OneDev project.</summary>
    Delete,
}
