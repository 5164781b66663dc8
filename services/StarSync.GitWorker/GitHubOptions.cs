namespace StarSync.GitWorker;

/// <summary>
/// GitHub credentials of the GitWorker (section <c>GitHub</c>). The token comes from the environment
/// (<c>GitHub__Token</c>) and is sent to the source repository's host only.
/// </summary>
internal sealed class GitHubOptions
{
    public const string Section = "GitHub";

    /// <summary>Optional: public repositories need none; private ones need a token with read access to contents.</summary>
    public string? Token { get; set; }
}
