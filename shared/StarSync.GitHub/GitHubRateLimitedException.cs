using System.Net;

namespace StarSync.GitHub;

/// <summary>
/// GitHub rate-limited the credential (primary or secondary limit). Do not retry before <see cref="RetryAt"/>: until
/// then the client refuses calls with this credential without sending them.
/// </summary>
public sealed class GitHubRateLimitedException : GitHubException
{
    public GitHubRateLimitedException(string message, HttpStatusCode? statusCode, DateTimeOffset retryAt, bool isSecondary)
        : base(message, statusCode, isTransient: true)
    {
        RetryAt = retryAt;
        IsSecondary = isSecondary;
    }

    public GitHubRateLimitedException()
        : this("GitHub rate limit exceeded.", null, DateTimeOffset.MinValue, isSecondary: false)
    {
    }

    public GitHubRateLimitedException(string message)
        : this(message, null, DateTimeOffset.MinValue, isSecondary: false)
    {
    }

    public GitHubRateLimitedException(string message, Exception innerException)
        : base(message, null, isTransient: true, innerException)
    {
    }

    /// <summary>The earliest time to call GitHub again with this credential.</summary>
    public DateTimeOffset RetryAt { get; }

    /// <summary>True for a secondary (abuse) limit, false for the primary hourly budget.</summary>
    public bool IsSecondary { get; }
}
