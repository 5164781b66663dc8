namespace StarSync.Contracts;

/// <summary>
/// The unstar policy was applied to the OneDev project: <paramref name="Action"/> is <c>archived</c> or
/// <c>deleted</c>; <paramref name="Error"/> is set when OneDev refused.
/// </summary>
public sealed record OneDevProjectRetired(
    Guid MirrorId,
    long ProjectId,
    string Action,
    string? Error);
