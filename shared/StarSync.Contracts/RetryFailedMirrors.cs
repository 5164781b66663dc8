namespace StarSync.Contracts;

/// <summary>Command from the admin API: retry every mirror that is Failed.</summary>
public sealed record RetryFailedMirrors(
    DateTimeOffset RequestedAt);
