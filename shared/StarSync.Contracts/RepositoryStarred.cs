namespace StarSync.Contracts;

/// <summary>
/// A user starred a repository. <paramref name="Source"/> says how Ingress learnt of it (<c>webhook</c>,
/// <c>poll</c>, <c>backfill</c>); <paramref name="DeliveryId"/> is GitHub's <c>X-GitHub-Delivery</c>, which a
/// redelivery repeats, so the saga can tell a redelivery from a new star.
/// </summary>
public sealed record RepositoryStarred(
    Guid MirrorId,
    GitHubRepository Repository,
    DateTimeOffset StarredAt,
    string Source,
    string? DeliveryId);
