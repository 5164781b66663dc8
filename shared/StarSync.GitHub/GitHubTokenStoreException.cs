namespace StarSync.GitHub;

/// <summary>The user token store could not be read, written or locked. The message names the file and the fix, never a token.</summary>
public sealed class GitHubTokenStoreException : Exception
{
    public GitHubTokenStoreException()
        : base("The GitHub user token store failed.")
    {
    }

    public GitHubTokenStoreException(string message)
        : base(message)
    {
    }

    public GitHubTokenStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
