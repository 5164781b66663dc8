namespace StarSync.Contracts;

/// <summary>
/// The names of the mirror saga's states, as <see cref="MirrorStatus.State"/> and the <c>mirrors.current_state</c>
/// column spell them. The Orchestrator's state machine declares one state per name (a test holds the two together);
/// everything else that filters or branches on a state uses these constants.
/// </summary>
public static class MirrorStates
{
    public const string Pending = nameof(Pending);
    public const string ProjectCreated = nameof(ProjectCreated);
    public const string Mirroring = nameof(Mirroring);
    public const string Completed = nameof(Completed);
    public const string Failed = nameof(Failed);

    /// <summary>Every state, in the order a first sync passes through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, ProjectCreated, Mirroring, Completed, Failed];
}
