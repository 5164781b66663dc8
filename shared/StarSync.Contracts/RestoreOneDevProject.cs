namespace StarSync.Contracts;

/// <summary>
/// Command: an archived mirror was starred again; take StarSync's archive note off its OneDev project's description.
/// Answered with <see cref="OneDevProjectRetired"/> whose action is <c>restored</c>.
/// </summary>
public sealed record RestoreOneDevProject(
    Guid MirrorId,
    long ProjectId,
    string FullName);
