namespace StarSync.GitHub;

/// <summary>The <c>x-ratelimit-*</c> headers of GitHub's latest answer.</summary>
public sealed record RateLimitStatus(int Limit, int Remaining, int Used, DateTimeOffset Reset, string Resource, DateTimeOffset ObservedAt);
