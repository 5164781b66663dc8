namespace StarSync.Contracts;

/// <summary>
/// Command from the admin API: refresh this mirror every <paramref name="IntervalSeconds"/> seconds (60 at least);
/// null returns it to the configured default.
/// </summary>
public sealed record SetMirrorSyncInterval(
    Guid MirrorId,
    int? IntervalSeconds);
