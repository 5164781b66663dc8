using System.Net;

namespace StarSync.GitHub;

/// <summary>
/// A GitHub call failed. The message names the operation and GitHub's answer, never a token or key.
/// </summary>
public class GitHubException : Exception
{
    public GitHubException(string message, HttpStatusCode? statusCode, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    public GitHubException()
        : this("GitHub request failed.", null, isTransient: false)
    {
    }

    public GitHubException(string message)
        : this(message, null, isTransient: false)
    {
    }

    public GitHubException(string message, Exception innerException)
        : this(message, null, isTransient: false, innerException)
    {
    }

    /// <summary>The HTTP status GitHub answered with; null for network errors and timeouts.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// True for network errors, timeouts, 5xx and rate limits (try again later); false for answers that will not change
    /// by retrying (401 after a refresh, 403 permission, 404, 422, ...).
    /// </summary>
    public bool IsTransient { get; }
}
