using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// GitHub App authentication: a JWT signed RS256 with the App's private key is exchanged
/// at <c>POST /app/installations/{id}/access_tokens</c> for an installation token (<c>ghs_</c>), and a user access
/// token (<c>ghu_</c>) with its refresh token (<c>ghr_</c>) is renewed at <c>POST /login/oauth/access_token</c>.
/// Installation tokens read repositories (REST and git) but not <c>/user/...</c>; user access tokens act as
/// <see cref="UserLogin"/> and answer 401 once expired.
/// </summary>
public sealed partial class GitHubEmulator
{
    private const string InstallationPrefix = "installation:";
    private static readonly TimeSpan JwtMaxLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan JwtClockSkew = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, (long InstallationId, DateTimeOffset ExpiresAt)> _installationTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _userTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _refreshTokens = new(StringComparer.Ordinal);
    private long? _appId;
    private RSA? _appKey;
    private long _installationId;
    private TimeSpan _installationTokenLifetime = TimeSpan.FromHours(1);
    private int _installationTokensIssued;
    private int _userTokensRefreshed;
    private int _refreshTokensRejected;

    /// <summary>The App's OAuth client id, checked by <c>POST /login/oauth/access_token</c>.</summary>
    public string AppClientId { get; } = "Iv1." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The App's OAuth client secret, checked by <c>POST /login/oauth/access_token</c>.</summary>
    public string AppClientSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>Installation tokens handed out by <c>POST /app/installations/{id}/access_tokens</c>.</summary>
    public int InstallationTokensIssued => Volatile.Read(ref _installationTokensIssued);

    /// <summary>Successful refreshes at <c>POST /login/oauth/access_token</c>.</summary>
    public int UserTokensRefreshed => Volatile.Read(ref _userTokensRefreshed);

    /// <summary>Refreshes refused with <c>bad_refresh_token</c>: a refresh token used a second time, or never issued.</summary>
    public int RefreshTokensRejected => Volatile.Read(ref _refreshTokensRejected);

    /// <summary>
    /// Registers a GitHub App with id <paramref name="appId"/> whose JWTs must verify with <paramref name="publicKey"/>,
    /// installed (on <see cref="UserLogin"/>'s account, all repositories) as <paramref name="installationId"/>.
    /// Installation tokens live <paramref name="tokenLifetime"/> (GitHub: one hour).
    /// </summary>
    public void EnableApp(long appId, RSA publicKey, long installationId, TimeSpan? tokenLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var copy = RSA.Create();
        copy.ImportParameters(publicKey.ExportParameters(includePrivateParameters: false));
        lock (_gate)
        {
            _appKey?.Dispose();
            _appKey = copy;
            _appId = appId;
            _installationId = installationId;
            _installationTokenLifetime = tokenLifetime ?? TimeSpan.FromHours(1);
        }
    }

    /// <inheritdoc cref="EnableApp(long, RSA, long, TimeSpan?)"/>
    public void EnableApp(long appId, string publicKeyPem, long installationId, TimeSpan? tokenLifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyPem);
        using var key = RSA.Create();
        key.ImportFromPem(publicKeyPem);
        EnableApp(appId, key, installationId, tokenLifetime);
    }

    /// <summary>
    /// Issues a user access token of <see cref="UserLogin"/> (as a GitHub App's user authorization does) that expires
    /// after <paramref name="lifetime"/>, and its single-use refresh token; refreshed tokens get the same lifetime.
    /// </summary>
    public GitHubUserTokenPair IssueUserToken(TimeSpan lifetime)
    {
        lock (_gate)
        {
            return IssueUserTokenLocked(lifetime);
        }
    }

    /// <summary>
    /// Makes every user access token issued so far expire now (as if eight hours had passed); their refresh tokens
    /// stay usable (once each).
    /// </summary>
    public void ExpireUserTokens()
    {
        lock (_gate)
        {
            foreach (var token in _userTokens.Keys.ToList())
            {
                _userTokens[token] = _time.GetUtcNow();
            }
        }
    }

    /// <summary>Makes every installation token issued so far expire now (as if an hour had passed).</summary>
    public void ExpireInstallationTokens()
    {
        lock (_gate)
        {
            foreach (var token in _installationTokens.Keys.ToList())
            {
                _installationTokens[token] = (_installationTokens[token].InstallationId, _time.GetUtcNow());
            }
        }
    }

    private static bool IsInstallation(string? principal) => principal?.StartsWith(InstallationPrefix, StringComparison.Ordinal) == true;

    private GitHubUserTokenPair IssueUserTokenLocked(TimeSpan lifetime)
    {
        var access = "ghu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var refresh = "ghr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(36));
        var expiresAt = _time.GetUtcNow() + lifetime;
        _userTokens[access] = expiresAt;
        _refreshTokens[refresh] = lifetime;
        return new GitHubUserTokenPair(access, refresh, expiresAt);
    }

    /// <summary>Maps an App-issued token to its principal: <c>installation:{id}</c>, <see cref="UserLogin"/>, or invalid (expired or unknown).</summary>
    private (bool Known, bool Valid, string? Principal) AuthenticateAppToken(string candidate)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_installationTokens.TryGetValue(candidate, out var installation))
            {
                return (true, now < installation.ExpiresAt, InstallationPrefix + installation.InstallationId.ToString(CultureInfo.InvariantCulture));
            }

            if (_userTokens.TryGetValue(candidate, out var expiresAt))
            {
                return (true, now < expiresAt, UserLogin);
            }
        }

        return (false, false, null);
    }

    /// <summary><c>POST /app/installations/{id}/access_tokens</c> with <c>Authorization: Bearer {JWT}</c>.</summary>
    private async Task HandleInstallationTokenAsync(HttpContext http, long installationId)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var jwt = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (jwt is null)
        {
            await WriteJsonAsync(http, 401, Message("A JSON web token could not be decoded", "https://docs.github.com/rest", 401));
            return;
        }

        var problem = VerifyJwt(jwt);
        if (problem is not null)
        {
            await WriteJsonAsync(http, 401, Message(problem, "https://docs.github.com/rest", 401));
            return;
        }

        string token;
        DateTimeOffset expiresAt;
        lock (_gate)
        {
            if (installationId != _installationId)
            {
                token = string.Empty;
                expiresAt = default;
            }
            else
            {
                token = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
                expiresAt = _time.GetUtcNow() + _installationTokenLifetime;
                _installationTokens[token] = (installationId, expiresAt);
                _installationTokensIssued++;
            }
        }

        if (token.Length == 0)
        {
            await WriteJsonAsync(http, 404, NotFound("https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"));
            return;
        }

        var body = new JsonObject
        {
            ["token"] = token,
            ["expires_at"] = Timestamp(expiresAt),
            ["permissions"] = new JsonObject { ["contents"] = "read", ["metadata"] = "read" },
            ["repository_selection"] = "all",
        };
        await WriteJsonAsync(http, 201, body);
    }

    /// <summary>Checks an App JWT as GitHub does; returns GitHub's complaint, or null when the token is good.</summary>
    private string? VerifyJwt(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return "A JSON web token could not be decoded";
        }

        long? appId;
        RSA? key;
        lock (_gate)
        {
            appId = _appId;
            key = _appKey;
        }

        if (appId is null || key is null)
        {
            return "Integration not found";
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return "A JSON web token could not be decoded";
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            bool valid;
            lock (_gate)
            {
                valid = key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            if (!valid)
            {
                return "A JSON web token could not be decoded";
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var claims = payload.RootElement;
            var issuer = claims.TryGetProperty("iss", out var iss)
                ? iss.ValueKind == JsonValueKind.Number ? iss.GetInt64().ToString(CultureInfo.InvariantCulture) : iss.GetString()
                : null;
            if (issuer != appId.Value.ToString(CultureInfo.InvariantCulture))
            {
                return "Integration not found";
            }

            if (!claims.TryGetProperty("iat", out var iat) || iat.ValueKind != JsonValueKind.Number)
            {
                return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
            }

            if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number)
            {
                return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
            }

            var now = _time.GetUtcNow();
            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iat.GetInt64());
            var expires = DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64());
            if (issuedAt > now + JwtClockSkew)
            {
                return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
            }

            if (expires <= now)
            {
                return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
            }

            if (expires > now + JwtMaxLifetime + TimeSpan.FromSeconds(1) || expires - issuedAt > JwtMaxLifetime + JwtClockSkew)
            {
                return "'Expiration time' claim ('exp') is too far in the future";
            }

            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or CryptographicException)
        {
            return "A JSON web token could not be decoded";
        }
    }

    /// <summary>
    /// <c>POST /login/oauth/access_token</c> (form or JSON body) with <c>grant_type=refresh_token</c>. Like GitHub it
    /// answers 200 even for errors (<c>{"error": ...}</c>), and JSON only when asked with <c>Accept: application/json</c>
    /// (form-encoded otherwise). A refresh token works once.
    /// </summary>
    private async Task HandleOAuthTokenAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await HttpResults.TextAsync(http, 404, "Not Found");
            return;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            foreach (var (name, value) in form)
            {
                fields[name] = value.ToString();
            }
        }
        else
        {
            var text = await HttpResults.ReadBodyAsync(http);
            try
            {
                if (!string.IsNullOrWhiteSpace(text) && JsonNode.Parse(text) is JsonObject json)
                {
                    foreach (var (name, value) in json)
                    {
                        fields[name] = value?.ToString() ?? string.Empty;
                    }
                }
            }
            catch (JsonException)
            {
                // Treated as no fields.
            }
        }

        foreach (var (name, value) in http.Request.Query)
        {
            fields.TryAdd(name, value.ToString());
        }

        var answer = new Dictionary<string, object>(StringComparer.Ordinal);
        if (fields.GetValueOrDefault("client_id") != AppClientId || fields.GetValueOrDefault("client_secret") != AppClientSecret)
        {
            answer["error"] = "incorrect_client_credentials";
            answer["error_description"] = "The client_id and/or client_secret passed are incorrect.";
        }
        else if (fields.GetValueOrDefault("grant_type") != "refresh_token")
        {
            answer["error"] = "unsupported_grant_type";
            answer["error_description"] = "The grant type is not supported.";
        }
        else
        {
            GitHubUserTokenPair? pair = null;
            lock (_gate)
            {
                if (fields.GetValueOrDefault("refresh_token") is { } refresh && _refreshTokens.Remove(refresh, out var lifetime))
                {
                    pair = IssueUserTokenLocked(lifetime);
                    _userTokensRefreshed++;
                }
            }

            if (pair is null)
            {
                Interlocked.Increment(ref _refreshTokensRejected);
                answer["error"] = "bad_refresh_token";
                answer["error_description"] = "The refresh token passed is incorrect or expired.";
            }
            else
            {
                answer["access_token"] = pair.AccessToken;
                answer["expires_in"] = (long)Math.Max(0, (pair.ExpiresAt - _time.GetUtcNow()).TotalSeconds);
                answer["refresh_token"] = pair.RefreshToken;
                answer["refresh_token_expires_in"] = 15897600;
                answer["scope"] = string.Empty;
                answer["token_type"] = "bearer";
            }
        }

        if (answer.ContainsKey("error"))
        {
            answer["error_uri"] = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";
        }

        if (http.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var json = new JsonObject();
            foreach (var (name, value) in answer)
            {
                json[name] = value is long number ? JsonValue.Create(number) : value is int small ? JsonValue.Create(small) : JsonValue.Create(value.ToString());
            }

            await WriteJsonAsync(http, 200, json);
            return;
        }

        var encoded = string.Join("&", answer.Select(a => a.Key + "=" + Uri.EscapeDataString(Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? string.Empty)));
        await HttpResults.TextAsync(http, 200, encoded, "application/x-www-form-urlencoded; charset=utf-8");
    }
}
