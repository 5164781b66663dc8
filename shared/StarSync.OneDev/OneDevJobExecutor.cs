namespace StarSync.OneDev;

/// <summary>
/// A job executor of the OneDev server (<c>GET /~api/settings/job-executors</c>): its name, whether it is enabled,
/// and its job requirement (a job match such as <c>"Project" is not "github/**"</c>; null means any job).
/// </summary>
public sealed record OneDevJobExecutor
{
    public string Name { get; init; } = "";

    public bool Enabled { get; init; } = true;

    public string? JobRequirement { get; init; }
}
