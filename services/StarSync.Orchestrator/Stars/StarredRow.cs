namespace StarSync.Orchestrator.Stars;

/// <summary>One row of <c>starred</c>: a star the poller has published (or recorded as the baseline).</summary>
internal sealed class StarredRow
{
    /// <summary>GitHub's repository id.</summary>
    public long GitHubId { get; set; }
    /// <summary>The last seen <c>owner/name</c>.</summary>
    public string FullName { get; set; } = "";
    public DateTimeOffset StarredAt { get; set; }
    /// <summary>The last listing that contained it.</summary>
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>A private repository that vanishes is reported <c>inaccessible</c>.</summary>
    public bool Private { get; set; }
}
