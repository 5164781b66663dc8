namespace StarSync.Orchestrator.Projects;

/// <summary>What to do when the OneDev path a repository maps to is held by a project StarSync did not make for it.</summary>
internal enum ConflictPolicy
{
    /// <summary>
    /// Adopt an existing project that carries no StarSync marker; when the path holds another repository's mirror
    /// (never shared), create a date-suffixed project next to it as <see cref="DateSuffix"/> does.
    /// </summary>
    UseExisting,

    /// <summary>Create <c>&lt;name&gt;-yyyyMMdd</c> (then <c>-2</c>, <c>-3</c>, ...) next to the taken name.</summary>
    DateSuffix,

    /// <summary>Fail the mirror permanently with a message naming the project.</summary>
    Fail,
}
