namespace StarSync.Contracts;

/// <summary>
/// The OneDev project could not be made. <paramref name="Transient"/> failures (network, 5xx, timeouts) are
/// retried with backoff; permanent ones (token refused, name rejected by policy) fail the mirror at once.
/// </summary>
public sealed record OneDevProjectCreationFailed(
    Guid MirrorId,
    int Attempt,
    string Reason,
    bool Transient,
    DateTimeOffset FailedAt);
