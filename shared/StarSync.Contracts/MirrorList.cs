namespace StarSync.Contracts;

/// <summary>A page of mirrors (histories left out) and how many match in all.</summary>
public sealed record MirrorList(
    int Total,
    IReadOnlyList<MirrorStatus> Mirrors);
