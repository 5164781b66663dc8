namespace StarSync.Contracts;

/// <summary>Answer to <see cref="GetMirrorStatus"/> when StarSync has no mirror of that repository.</summary>
public sealed record MirrorNotFound(
    long GitHubId);
