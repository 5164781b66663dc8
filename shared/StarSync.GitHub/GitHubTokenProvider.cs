using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

using Microsoft.Extensions.Options;

namespace StarSync.GitHub;

/// <summary>
/// Hands out GitHub credentials (thread-safe, one refresh at a time per kind). With a personal access token both kinds
/// are that token. With a GitHub App, <see cref="GetInstallationTokenAsync"/> signs a JWT (RS256) and exchanges it at
/// <c>POST /app/installations/{id}/access_tokens</c>, caching the token until 5 minutes before <c>expires_at</c>;
/// <see cref="GetUserTokenAsync"/> returns the user access token, refreshed at <c>POST {WebUrl}login/oauth/access_token</c>
/// when it is within 5 minutes of expiry or after <see cref="InvalidateUserToken"/> (a 401). Tokens never appear in
/// exception messages.
/// </summary>
public sealed class GitHubTokenProvider : IDisposable
{
    /// <summary>How long before expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    internal const string AuthClientName = "StarSync.GitHub.Auth";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly IHttpClientFactory _httpFactory;
    private readonly GitHubClientOptions _options;
    private readonly TimeProvider _time;
    private readonly RSA? _appKey;
    private readonly SemaphoreSlim _installationRefresh = new(1, 1);
    private readonly SemaphoreSlim _userRefresh = new(1, 1);
    private volatile CachedToken? _installation;
    private volatile CachedToken? _user;
    private string? _refreshToken;

    internal GitHubTokenProvider(IHttpClientFactory httpFactory, IOptions<GitHubClientOptions> options, TimeProvider time)
    {
        _httpFactory = httpFactory;
        _options = options.Value;
        _time = time;
        if (_options.HasApp && !string.IsNullOrWhiteSpace(_options.AppPrivateKey))
        {
            _appKey = RSA.Create();
            _appKey.ImportFromPem(GitHubClientOptions.NormalizePem(_options.AppPrivateKey));
        }

        if (_options.HasUserAccessToken)
        {
            _user = new CachedToken(_options.UserAccessToken!, _options.UserAccessTokenExpiresAt);
            _refreshToken = _options.UserRefreshToken;
        }
    }

    /// <summary>True when repository reads use GitHub App installation tokens.</summary>
    public bool UsesApp => _appKey is not null;

    /// <summary>Rate limits are per credential: with a PAT both kinds share one budget.</summary>
    internal string RepositoryCredential =>
        UsesApp ? "installation" : _options.HasPersonalAccessToken ? "token" : _options.IsAnonymous ? "anonymous" : "user";

    internal string UserCredential => _options.HasPersonalAccessToken ? "token" : "user";

    /// <summary>
    /// A token for repository REST calls and git over HTTPS: the installation token (GitHub App), else the personal
    /// access token, else the user access token; null when no credential is configured and anonymous reads are allowed.
    /// </summary>
    public async ValueTask<string?> GetInstallationTokenAsync(CancellationToken ct)
    {
        if (_options.IsAnonymous)
        {
            return null;
        }

        if (!UsesApp)
        {
            return _options.HasPersonalAccessToken ? _options.Token! : await GetUserTokenAsync(ct).ConfigureAwait(false);
        }

        if (Fresh(_installation) is { } cached)
        {
            return cached;
        }

        await _installationRefresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Fresh(_installation) is { } again)
            {
                return again;
            }

            var token = await RequestInstallationTokenAsync(ct).ConfigureAwait(false);
            _installation = token;
            return token.Value;
        }
        finally
        {
            _installationRefresh.Release();
        }
    }

    /// <summary>A token that acts as the user, for <c>/user/starred</c>: the personal access token or the user access token.</summary>
    public async ValueTask<string> GetUserTokenAsync(CancellationToken ct)
    {
        if (_options.HasPersonalAccessToken)
        {
            return _options.Token!;
        }

        var current = _user ?? throw new InvalidOperationException(
            "No user credential is configured: set GitHub:UserAccessToken (a GitHub App user access token) or GitHub:Token to read the starred list.");
        if (Fresh(current) is not null || !_options.CanRefreshUserToken)
        {
            return current.Value;
        }

        await _userRefresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            current = _user!;
            if (Fresh(current) is { } again)
            {
                return again;
            }

            var refreshed = await RefreshUserTokenAsync(ct).ConfigureAwait(false);
            _user = refreshed;
            return refreshed.Value;
        }
        finally
        {
            _userRefresh.Release();
        }
    }

    /// <summary>GitHub answered 401 to <paramref name="token"/>: the next <see cref="GetUserTokenAsync"/> refreshes it (if it can).</summary>
    public void InvalidateUserToken(string token)
    {
        var current = _user;
        if (current is not null && current.Value == token && _options.CanRefreshUserToken)
        {
            _user = current with { ExpiresAt = DateTimeOffset.MinValue };
        }
    }

    /// <summary>GitHub answered 401 to <paramref name="token"/>: the next <see cref="GetInstallationTokenAsync"/> asks for a new one.</summary>
    public void InvalidateInstallationToken(string token)
    {
        var current = _installation;
        if (current is not null && current.Value == token)
        {
            _installation = null;
        }
    }

    /// <summary>Whether a 401 on the user token can be cured by a refresh.</summary>
    internal bool CanRefreshUserToken => !_options.HasPersonalAccessToken && _options.CanRefreshUserToken;

    public void Dispose()
    {
        _appKey?.Dispose();
        _installationRefresh.Dispose();
        _userRefresh.Dispose();
    }

    private string? Fresh(CachedToken? token) =>
        token is not null && (token.ExpiresAt is null || _time.GetUtcNow() + RefreshMargin < token.ExpiresAt.Value) ? token.Value : null;

    private async Task<CachedToken> RequestInstallationTokenAsync(CancellationToken ct)
    {
        var installationId = _options.InstallationId!.Value.ToString(CultureInfo.InvariantCulture);
        var operation = $"create an access token for installation {installationId}";
        var jwt = GitHubAppJwt.Create(_options.AppId!, _appKey!, _time.GetUtcNow());
        var uri = new Uri(GitHubServiceCollectionExtensions.BaseAddress(_options.ApiUrl), $"app/installations/{installationId}/access_tokens");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", GitHubClient.ApiVersion);
        var (status, body) = await SendAsync(request, operation, ct).ConfigureAwait(false);
        if (status != HttpStatusCode.Created && status != HttpStatusCode.OK)
        {
            throw new GitHubException(
                $"GitHub answered {(int)status} when asked to {operation}: {GitHubClient.MessageOf(body)}",
                status,
                isTransient: (int)status >= 500 || status == HttpStatusCode.TooManyRequests);
        }

        var answer = Deserialize<InstallationTokenResponse>(body, operation);
        if (string.IsNullOrEmpty(answer.Token))
        {
            throw new GitHubException($"GitHub answered without a token when asked to {operation}.", status, isTransient: false);
        }

        return new CachedToken(answer.Token, answer.ExpiresAt ?? _time.GetUtcNow() + TimeSpan.FromHours(1));
    }

    private async Task<CachedToken> RefreshUserTokenAsync(CancellationToken ct)
    {
        const string operation = "refresh the user access token";
        var uri = new Uri(GitHubServiceCollectionExtensions.BaseAddress(_options.WebUrl), "login/oauth/access_token");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = _options.AppClientId!,
                ["client_secret"] = _options.AppClientSecret!,
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = Volatile.Read(ref _refreshToken) ?? string.Empty,
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        var (status, body) = await SendAsync(request, operation, ct).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw new GitHubException($"GitHub answered {(int)status} when asked to {operation}.", status, isTransient: (int)status >= 500);
        }

        var answer = Deserialize<OAuthTokenResponse>(body, operation);
        if (answer.Error is { } error || string.IsNullOrEmpty(answer.AccessToken))
        {
            // error and error_description are GitHub's fixed texts (bad_refresh_token, ...); they hold no secret.
            throw new GitHubException(
                $"GitHub refused to {operation}: {answer.Error ?? "no access_token"} ({answer.ErrorDescription ?? "no description"}). A new user authorization is needed.",
                HttpStatusCode.Unauthorized,
                isTransient: false);
        }

        if (!string.IsNullOrEmpty(answer.RefreshToken))
        {
            Volatile.Write(ref _refreshToken, answer.RefreshToken); // refresh tokens are single-use
        }

        DateTimeOffset? expiresAt = answer.ExpiresIn is > 0 ? _time.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn.Value) : null;
        return new CachedToken(answer.AccessToken, expiresAt);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, string operation, CancellationToken ct)
    {
        var http = _httpFactory.CreateClient(AuthClientName);
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubException($"Could not reach GitHub to {operation}: {e.Message}", null, isTransient: true, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new GitHubException($"GitHub did not answer in time when asked to {operation}.", null, isTransient: true, e);
        }
    }

    private static T Deserialize<T>(string body, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new GitHubException($"GitHub answered with unreadable JSON when asked to {operation}.", HttpStatusCode.OK, isTransient: false, e);
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset? ExpiresAt)
    {
        // Keep the token out of ToString() (records print their members).
        public override string ToString() => "CachedToken { ExpiresAt = " + ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) + " }";
    }

    private sealed record InstallationTokenResponse(string? Token, DateTimeOffset? ExpiresAt);

    private sealed record OAuthTokenResponse(
        string? AccessToken,
        long? ExpiresIn,
        string? RefreshToken,
        string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
