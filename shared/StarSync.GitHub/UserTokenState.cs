using System.Globalization;

namespace StarSync.GitHub;

/// <summary>
/// A user access token with its refresh token, as the owner holds it in memory and in <see cref="GitHubUserTokenStore"/>.
/// <see cref="Origin"/> is the keyed fingerprint of the configured refresh token the chain of refreshes started from, and
/// <see cref="Generation"/> counts the refreshes since (0: the configured pair itself).
/// </summary>
internal sealed record UserTokenState(
    string AccessToken,
    DateTimeOffset? ExpiresAt,
    string? RefreshToken,
    string Origin,
    long Generation)
{
    public GitHubAccessToken Access => new(AccessToken, ExpiresAt);

    // Keep the tokens out of ToString() (records print their members).
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"UserTokenState {{ Generation = {Generation}, ExpiresAt = {ExpiresAt:O} }}");
}
