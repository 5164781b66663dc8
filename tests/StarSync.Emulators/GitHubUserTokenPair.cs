namespace StarSync.Emulators;

/// <summary>A user access token (<c>ghu_</c>), its single-use refresh token (<c>ghr_</c>) and when the access token expires.</summary>
public sealed record GitHubUserTokenPair(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);
