namespace StarSync.Contracts;

/// <summary>Request (answered with <see cref="MirrorStatus"/> or <see cref="MirrorNotFound"/>): one mirror, by GitHub id.</summary>
public sealed record GetMirrorStatus(
    long GitHubId,
    int HistoryLimit);
