using System.Globalization;

namespace StarSync.GitHub;

/// <summary>An access token and when it expires (null: not known; GitHub then answers 401 once it has).</summary>
public sealed record GitHubAccessToken(string Value, DateTimeOffset? ExpiresAt)
{
    // Keep the token out of ToString() (records print their members).
    public override string ToString() => "GitHubAccessToken { ExpiresAt = " + ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) + " }";
}
