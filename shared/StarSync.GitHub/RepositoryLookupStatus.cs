namespace StarSync.GitHub;

public enum RepositoryLookupStatus
{
    /// <summary>GitHub answered 200 at the asked location.</summary>
    Found,

    /// <summary>404: deleted, never existed, or private and invisible to the token.</summary>
    NotFound,

    /// <summary>451, or 403 "Repository access blocked" (DMCA, terms of service).</summary>
    Blocked,

    /// <summary>301: renamed or transferred; the repository at the new location is in the result.</summary>
    Moved,
}
