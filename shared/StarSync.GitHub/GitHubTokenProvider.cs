using System.Globalization;
using System.Net;
using System.Security.Cryptography;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Octokit;

using StarSync.Secrets;

namespace StarSync.GitHub;

/// <summary>
/// Hands out GitHub credentials (thread-safe, one refresh at a time per kind). With a personal access token both kinds
/// are that token. With a GitHub App, <see cref="GetInstallationTokenAsync"/> signs a JWT (RS256) and exchanges it at
/// <c>POST /app/installations/{id}/access_tokens</c> (Octokit's <c>GitHubApps.CreateInstallationToken</c>), caching the token until 5 minutes before <c>expires_at</c>; any
/// number of processes may do this. <see cref="GetUserTokenAsync"/> returns the user access token:
/// <list type="bullet">
/// <item>In the process that owns the refresh token (<c>GitHub:UserRefreshToken</c>, the Orchestrator) it is refreshed at
/// <c>POST {WebUrl}login/oauth/access_token</c> (Octokit's <c>Oauth.CreateAccessTokenFromRenewalToken</c>) when it is within 5 minutes of expiry or after
/// <see cref="InvalidateUserToken"/> (a 401). GitHub's refresh tokens are single-use, so each refresh runs under the
/// store's exclusive lock, re-reads the store first (another owner replica may have refreshed already) and writes the
/// new pair before anything else happens (<see cref="GitHubUserTokenStore"/>, encrypted). At start the stored pair wins
/// over the configured one when it descends from the configured refresh token (which is then spent).</item>
/// <item>With <c>GitHub:UserTokenFromOwner</c> it is borrowed from the owner through <see cref="IGitHubUserTokenSource"/>
/// and never refreshed here.</item>
/// </list>
/// Tokens never appear in exception messages or logs.
/// </summary>
public sealed class GitHubTokenProvider : IDisposable
{
    /// <summary>How long before expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly GitHubConnections _connections;
    private readonly GitHubClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RSA? _appKey;
    private readonly GitHubUserTokenStore? _store;
    private readonly IGitHubUserTokenSource? _source;
    private readonly SemaphoreSlim _installationRefresh = new(1, 1);
    private readonly SemaphoreSlim _userRefresh = new(1, 1);
    private volatile CachedToken? _installation;
    private volatile UserTokenState? _user;
    private volatile bool _userLoaded;
    private volatile bool _unsaved;
    private string? _rejectedBorrowed;

    internal GitHubTokenProvider(
        GitHubConnections connections,
        IOptions<GitHubClientOptions> options,
        TimeProvider time,
        ILogger<GitHubTokenProvider> logger,
        StarSyncSecrets secrets,
        IGitHubUserTokenSource? source)
    {
        _connections = connections;
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.HasApp && !string.IsNullOrWhiteSpace(_options.AppPrivateKey))
        {
            _appKey = RSA.Create();
            _appKey.ImportFromPem(GitHubClientOptions.NormalizePem(_options.AppPrivateKey));
        }

        if (_options.UserTokenFromOwner)
        {
            _source = source ?? throw new InvalidOperationException("GitHub:UserTokenFromOwner is set, but this service has no way to ask the owner for a token.");
        }
        else if (_options.HasUserAccessToken)
        {
            if (_options.CanRefreshUserToken)
            {
                _store = new GitHubUserTokenStore(_options.UserTokenStorePath!, secrets.Require(GitHubUserTokenStore.Purpose, GitHubClientOptions.SecretKeyNeededFor));
            }

            var origin = _store is not null ? _store.Fingerprint(_options.UserRefreshToken!) : "configured";
            _user = new UserTokenState(_options.UserAccessToken!, _options.UserAccessTokenExpiresAt, _options.UserRefreshToken, origin, 0);
        }

        _userLoaded = _store is null;
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
    public async ValueTask<string> GetUserTokenAsync(CancellationToken ct) => (await GetUserAccessTokenAsync(ct).ConfigureAwait(false)).Value;

    /// <summary>As <see cref="GetUserTokenAsync"/>, with the token's expiry when it is known (for handing it to another process).</summary>
    public async ValueTask<GitHubAccessToken> GetUserAccessTokenAsync(CancellationToken ct)
    {
        if (_options.HasPersonalAccessToken)
        {
            return new GitHubAccessToken(_options.Token!, null);
        }

        if (_source is not null)
        {
            return await BorrowUserTokenAsync(ct).ConfigureAwait(false);
        }

        if (!_userLoaded || _unsaved)
        {
            await LoadOrSaveUserTokenAsync(ct).ConfigureAwait(false);
        }

        var current = _user ?? throw new InvalidOperationException(
            "No user credential is configured: set GitHub:UserAccessToken (a GitHub App user access token) or GitHub:Token to read the starred list.");
        if (Fresh(current.ExpiresAt) || _store is null)
        {
            return current.Access;
        }

        await _userRefresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            current = _user!;
            if (Fresh(current.ExpiresAt))
            {
                return current.Access;
            }

            var refreshed = await RefreshAndSaveAsync(current, ct).ConfigureAwait(false);
            return refreshed.Access;
        }
        finally
        {
            _userRefresh.Release();
        }
    }

    /// <summary>
    /// Reads the store once (the stored pair replaces the configured one when it descends from the configured refresh
    /// token, which was then spent); throws <see cref="GitHubTokenStoreException"/> when the store cannot be read or
    /// decrypted. The host calls it at start (<see cref="GitHubUserTokenStartup"/>), so a wrong key stops the boot.
    /// </summary>
    internal async Task LoadUserTokenAsync(CancellationToken ct)
    {
        if (!_userLoaded)
        {
            await LoadOrSaveUserTokenAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>GitHub answered 401 to <paramref name="token"/>: the next <see cref="GetUserTokenAsync"/> refreshes it (if it can).</summary>
    public void InvalidateUserToken(string token)
    {
        if (_source is not null)
        {
            Volatile.Write(ref _rejectedBorrowed, token);
            return;
        }

        var current = _user;
        if (current is not null && current.AccessToken == token && _store is not null)
        {
            _user = current with { ExpiresAt = DateTimeOffset.MinValue };
        }
    }

    /// <summary>GitHub answered 401 to <paramref name="token"/>: the next <see cref="GetInstallationTokenAsync"/> asks for a new one.</summary>
    public void InvalidateInstallationToken(string token)
    {
        if (!UsesApp)
        {
            // Without an App the repository credential is the user token (or a personal access token, which nothing renews).
            InvalidateUserToken(token);
            return;
        }

        var current = _installation;
        if (current is not null && current.Value == token)
        {
            _installation = null;
        }
    }

    /// <summary>Whether a 401 on the user token can be cured by a refresh (here, or by the owner for a borrowed token).</summary>
    internal bool CanRefreshUserToken => !_options.HasPersonalAccessToken && (_store is not null || _source is not null);

    public void Dispose()
    {
        _appKey?.Dispose();
        _installationRefresh.Dispose();
        _userRefresh.Dispose();
    }

    private string? Fresh(CachedToken? token) => token is not null && Fresh(token.ExpiresAt) ? token.Value : null;

    private bool Fresh(DateTimeOffset? expiresAt) => expiresAt is null || _time.GetUtcNow() + RefreshMargin < expiresAt.Value;

    private async Task LoadOrSaveUserTokenAsync(CancellationToken ct)
    {
        await _userRefresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_userLoaded)
            {
                var configured = _user!;
                if (_store!.Read() is { } stored && stored.Origin == configured.Origin && stored.Generation > configured.Generation)
                {
                    _user = stored;
                    _logger.UsingStoredUserToken(_store.FilePath, stored.Generation);
                }

                _userLoaded = true;
            }

            if (_unsaved)
            {
                using (await _store!.LockAsync(ct).ConfigureAwait(false))
                {
                    TrySave(_user!, late: true);
                }
            }
        }
        finally
        {
            _userRefresh.Release();
        }
    }

    /// <summary>Under the store's lock: take a newer pair another owner saved, or spend the refresh token and save the new pair.</summary>
    private async Task<UserTokenState> RefreshAndSaveAsync(UserTokenState current, CancellationToken ct)
    {
        var store = _store!;
        using (await store.LockAsync(ct).ConfigureAwait(false))
        {
            if (store.Read() is { } stored && stored.Origin == current.Origin && stored.Generation > current.Generation)
            {
                // Another owner process refreshed since this one last looked: its refresh token is the live one.
                _user = stored;
                if (Fresh(stored.ExpiresAt))
                {
                    _logger.AdoptedStoredUserToken(stored.Generation, store.FilePath);
                    return stored;
                }

                current = stored;
            }

            var (access, refresh) = await RefreshUserTokenAsync(current.RefreshToken!, ct).ConfigureAwait(false);
            // Memory first: should the write fail, this process still holds the only live refresh token.
            var next = new UserTokenState(access.Value, access.ExpiresAt, refresh ?? current.RefreshToken, current.Origin, current.Generation + 1);
            _user = next;
            TrySave(next, late: false);
            return next;
        }
    }

    private void TrySave(UserTokenState state, bool late)
    {
        try
        {
            _store!.Write(state);
            _unsaved = false;
            if (late)
            {
                _logger.UserTokenSavedLate(_store.FilePath);
            }
            else
            {
                _logger.UserTokenRefreshed(state.Generation, state.ExpiresAt, _store.FilePath);
            }
        }
        catch (GitHubTokenStoreException e)
        {
            _unsaved = true;
            _logger.UserTokenNotSaved(e.Message);
        }
    }

    private async Task<GitHubAccessToken> BorrowUserTokenAsync(CancellationToken ct)
    {
        var current = _user;
        var rejected = Volatile.Read(ref _rejectedBorrowed);
        if (current is not null && current.AccessToken != rejected && Fresh(current.ExpiresAt))
        {
            return current.Access;
        }

        await _userRefresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            current = _user;
            rejected = Volatile.Read(ref _rejectedBorrowed);
            if (current is not null && current.AccessToken != rejected && Fresh(current.ExpiresAt))
            {
                return current.Access;
            }

            // Tell the owner which token GitHub refused only when it is the one this process holds.
            var borrowed = await _source!.GetUserTokenAsync(current?.AccessToken == rejected ? rejected : null, ct).ConfigureAwait(false);
            _user = new UserTokenState(borrowed.Value, borrowed.ExpiresAt, null, "owner", 0);
            return borrowed;
        }
        finally
        {
            _userRefresh.Release();
        }
    }

    private async Task<CachedToken> RequestInstallationTokenAsync(CancellationToken ct)
    {
        var installationId = _options.InstallationId!.Value;
        var operation = string.Create(CultureInfo.InvariantCulture, $"create an access token for installation {installationId}");
        var jwt = GitHubAppJwt.Create(_options.AppId!, _appKey!, _time.GetUtcNow());
        AccessToken answer;
        using (var call = _connections.Api("app", jwt, operation, ct, cached: false))
        {
            try
            {
                answer = await call.Octokit.GitHubApps.CreateInstallationToken(installationId).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                throw GitHubFailure.Answer(e, operation);
            }
            catch (Exception e) when (GitHubFailure.Other(e, operation, ct) is { } failure)
            {
                throw failure;
            }
        }

        if (string.IsNullOrEmpty(answer?.Token))
        {
            throw new GitHubException($"GitHub answered without a token when asked to {operation}.", HttpStatusCode.Created, isTransient: false);
        }

        return new CachedToken(answer.Token, answer.ExpiresAt == default ? _time.GetUtcNow() + TimeSpan.FromHours(1) : answer.ExpiresAt);
    }

    private async Task<(GitHubAccessToken Access, string? RefreshToken)> RefreshUserTokenAsync(string refreshToken, CancellationToken ct)
    {
        const string operation = "refresh the user access token";
        OauthToken answer;
        using (var call = _connections.Web(operation, ct))
        {
            try
            {
                answer = await call.Octokit.Oauth.CreateAccessTokenFromRenewalToken(
                    new OauthTokenRenewalRequest(_options.AppClientId!, _options.AppClientSecret!, refreshToken), ct).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                // Not GitHub's message: the request carried the client secret and the refresh token.
                throw GitHubFailure.Answer(e, operation, withMessage: false);
            }
            catch (Exception e) when (GitHubFailure.Other(e, operation, ct) is { } failure)
            {
                throw failure;
            }
        }

        if (answer is null || answer.Error is not null || string.IsNullOrEmpty(answer.AccessToken))
        {
            // error and error_description are GitHub's fixed texts (bad_refresh_token, ...); they hold no secret.
            throw new GitHubException(
                $"GitHub refused to {operation}: {answer?.Error ?? "no access_token"} ({answer?.ErrorDescription ?? "no description"}). A new user authorization is needed.",
                HttpStatusCode.Unauthorized,
                isTransient: false);
        }

        // Refresh tokens are single-use: the answer's replaces the one just spent.
        DateTimeOffset? expiresAt = answer.ExpiresIn > 0 ? _time.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn) : null;
        return (new GitHubAccessToken(answer.AccessToken, expiresAt), string.IsNullOrEmpty(answer.RefreshToken) ? null : answer.RefreshToken);
    }

    private sealed record CachedToken(string Value, DateTimeOffset? ExpiresAt)
    {
        // Keep the token out of ToString() (records print their members).
        public override string ToString() => "CachedToken { ExpiresAt = " + ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) + " }";
    }
}
