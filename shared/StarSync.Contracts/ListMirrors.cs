namespace StarSync.Contracts;

/// <summary>Request (answered with <see cref="MirrorList"/>): mirrors, optionally in one state, by full name.</summary>
public sealed record ListMirrors(
    string? State,
    int Offset,
    int Limit);
