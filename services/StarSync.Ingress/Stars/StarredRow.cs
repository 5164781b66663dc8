namespace StarSync.Ingress.Stars;

/// <summary>One row of <c>ingress_starred</c>: a star the poller has published (or recorded as the baseline).</summary>
internal sealed record StarredRow(long GitHubId, string FullName, DateTimeOffset StarredAt, bool Private);
