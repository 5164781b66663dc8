namespace StarSync.Contracts;

/// <summary>
/// Answer to <see cref="BackfillStars"/> when star polling is off: why, naming settings, never their values.
/// </summary>
public sealed record StarPollingUnavailable(
    Guid RequestId,
    string Reason);
