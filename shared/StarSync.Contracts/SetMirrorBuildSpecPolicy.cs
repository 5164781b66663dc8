namespace StarSync.Contracts;

/// <summary>
/// Command from the admin API: this mirror's build spec policy; null returns it to the configured default
/// (<c>Mirroring:BuildSpecPolicy</c>).
/// </summary>
public sealed record SetMirrorBuildSpecPolicy(
    Guid MirrorId,
    BuildSpecPolicy? Policy);
