using System.Globalization;
using System.Net;
using System.Web;

using Octokit;

namespace StarSync.GitHub;

/// <summary>
/// The GitHub REST calls StarSync needs, as a thin adapter over Octokit (register with
/// <see cref="GitHubServiceCollectionExtensions.AddGitHubClient"/>). Octokit sends, authenticates, follows the one
/// redirect of a rename and answers a 304 from its response cache (<see cref="GitHubResponseCache"/>, keyed by
/// credential, <c>Accept</c> and URL). This adapter adds what Octokit leaves out: every answer's <c>x-ratelimit-*</c>
/// headers are read (<see cref="RateLimit"/>); a rate-limit 403/429 throws <see cref="GitHubRateLimitedException"/>
/// and blocks the credential until its <c>RetryAt</c> (later calls fail fast without being sent); a 401 that a new
/// token may cure is retried once. Other failures throw <see cref="GitHubException"/>.
/// </summary>
public sealed class GitHubClient
{
    private const string GitHubJson = "application/vnd.github+json";

    private readonly GitHubConnections _connections;
    private readonly GitHubTokenProvider _tokens;
    private readonly GitHubRateLimitGate _gate;
    private readonly TimeProvider _time;

    internal GitHubClient(GitHubConnections connections, GitHubTokenProvider tokens, GitHubRateLimitGate gate, TimeProvider time)
    {
        _connections = connections;
        _tokens = tokens;
        _gate = gate;
        _time = time;
    }

    /// <summary>The <c>x-ratelimit-*</c> headers of the latest answer, or null before the first.</summary>
    public RateLimitStatus? RateLimit => _gate.Last;

    /// <summary>
    /// One page of <c>GET /user/starred?sort=created&amp;direction=desc</c> in the <c>star+json</c> media type, as the
    /// user, so that a poll reads the newest stars first and stops at known ones. A page answered before is asked for
    /// conditionally; <paramref name="ifNoneMatch"/> (e.g. an ETag kept across restarts) is sent when the cache holds
    /// none for the page. A 304 does not count against the primary rate limit.
    /// </summary>
    public async Task<StarredPage> GetStarredPageAsync(int page, int perPage, string? ifNoneMatch, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, 100);
        var operation = string.Create(CultureInfo.InvariantCulture, $"list starred repositories (page {page})");
        var parameters = new StarredRequest { SortProperty = StarredSort.Created, SortDirection = SortDirection.Descending }.ToParametersDictionary();
        parameters["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
        parameters["page"] = page.ToString(CultureInfo.InvariantCulture);
        return await SendAsync(Credential.User, operation, ifNoneMatch, async call =>
        {
            var response = await call.Connection.Get<List<GitHubStarShape>>(ApiUrls.Starred(), parameters, AcceptHeaders.StarJson, ct).ConfigureAwait(false);
            if (response.HttpResponse.StatusCode == HttpStatusCode.NotModified)
            {
                // 304 to the caller's ETag, with nothing remembered for it: unchanged, but no items to show.
                return new StarredPage(true, [], ifNoneMatch, null, null);
            }

            var items = new List<StarredRepository>();
            foreach (var star in response.Body ?? throw new GitHubException($"GitHub answered with something other than a list when asked to {operation}.", HttpStatusCode.OK, isTransient: false))
            {
                // star+json wraps each repository as {starred_at, repo}; plain JSON (a proxy dropping Accept) has no dates.
                if (star?.StarredAt is not { } at || star.Repo is not { } repository)
                {
                    throw new GitHubException($"GitHub answered without starred_at when asked to {operation} (star+json media type ignored).", HttpStatusCode.OK, isTransient: false);
                }

                items.Add(new StarredRepository(at, repository.ToRepository(operation)));
            }

            var info = response.HttpResponse.ApiInfo;
            var next = PageOf(info.Links.GetValueOrDefault("next"));
            var last = PageOf(info.Links.GetValueOrDefault("last")) ?? (next is null ? page : null);
            return new StarredPage(call.Wire.NotModified, items, string.IsNullOrEmpty(info.Etag) ? null : info.Etag, next, last);
        }, ct).ConfigureAwait(false);
    }

    /// <summary><c>GET /repositories/{id}</c>: Found, NotFound (404), Blocked (451 / 403 "Repository access blocked") or Moved (301, followed once).</summary>
    public Task<RepositoryLookup> GetRepositoryAsync(long id, CancellationToken ct) =>
        LookupAsync(ApiUrls.Repository(id), string.Create(CultureInfo.InvariantCulture, $"read repository #{id}"), ct);

    /// <summary><c>GET /repos/{owner}/{name}</c>: Found, NotFound, Blocked, or Moved after a rename or transfer (301, followed once).</summary>
    public Task<RepositoryLookup> GetRepositoryAsync(string owner, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return LookupAsync(ApiUrls.Repository(Uri.EscapeDataString(owner), Uri.EscapeDataString(name)), $"read repository {owner}/{name}", ct);
    }

    /// <summary>
    /// <c>GET /user/starred/{owner}/{name}</c> as the user: true (204), false (404). Null when GitHub answers something
    /// that neither confirms nor denies (another 2xx); errors throw.
    /// </summary>
    public Task<bool?> IsStarredAsync(string owner, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return SendAsync<bool?>(Credential.User, $"check whether {owner}/{name} is starred", null, async call =>
        {
            try
            {
                var response = await call.Connection.Get<object>(ApiUrls.Starred(Uri.EscapeDataString(owner), Uri.EscapeDataString(name)), null, GitHubJson, ct).ConfigureAwait(false);
                return response.HttpResponse.StatusCode == HttpStatusCode.NoContent ? true : null;
            }
            catch (NotFoundException)
            {
                return false;
            }
        }, ct);
    }

    private Task<RepositoryLookup> LookupAsync(Uri path, string operation, CancellationToken ct) =>
        SendAsync(Credential.Repository, operation, null, async call =>
        {
            try
            {
                var response = await call.Connection.Get<GitHubRepositoryShape>(path, null, GitHubJson, ct).ConfigureAwait(false);
                var repository = (response.Body ?? throw new GitHubException($"GitHub answered without a repository when asked to {operation}.", response.HttpResponse.StatusCode, isTransient: false))
                    .ToRepository(operation);
                return call.Wire.RedirectedTo is { } movedTo ? RepositoryLookup.Moved(repository, movedTo) : RepositoryLookup.Found(repository);
            }
            catch (NotFoundException)
            {
                return RepositoryLookup.NotFound;
            }
            catch (ApiException e) when (e is LegalRestrictionException
                || (e.StatusCode == HttpStatusCode.Forbidden && GitHubFailure.MessageOf(e).Contains("Repository access blocked", StringComparison.OrdinalIgnoreCase)))
            {
                return RepositoryLookup.Blocked;
            }
        }, ct);

    /// <summary>
    /// Runs one operation with the credential's token through a fresh <see cref="GitHubCall"/>: refuses it while the
    /// credential is rate-limited, records the answer's rate-limit headers, turns a rate-limit answer into a block and
    /// <see cref="GitHubRateLimitedException"/>, retries once after a 401 that a new token may cure, and turns every
    /// other failure into <see cref="GitHubException"/>.
    /// </summary>
    private async Task<T> SendAsync<T>(Credential credential, string operation, string? ifNoneMatch, Func<GitHubCall, Task<T>> send, CancellationToken ct)
    {
        var key = credential == Credential.User ? _tokens.UserCredential : _tokens.RepositoryCredential;
        for (var attempt = 1; ; attempt++)
        {
            _gate.ThrowIfBlocked(key, operation);
            var token = credential == Credential.User
                ? await _tokens.GetUserTokenAsync(ct).ConfigureAwait(false)
                : await _tokens.GetInstallationTokenAsync(ct).ConfigureAwait(false);
            using var call = _connections.Api(key, token, operation, ct, ifNoneMatch);
            try
            {
                var result = await send(call).ConfigureAwait(false);
                _gate.Succeeded(key);
                return result;
            }
            catch (AuthorizationException) when (attempt == 1 && token is not null && CanRetryUnauthorized(credential))
            {
                if (credential == Credential.User)
                {
                    _tokens.InvalidateUserToken(token);
                }
                else
                {
                    _tokens.InvalidateInstallationToken(token);
                }
            }
            catch (ApiException e) when (GitHubFailure.IsRateLimit(e, call.Wire.RateLimit, _time.GetUtcNow(), out var retryAfter, out var secondary))
            {
                var exhausted = e as RateLimitExceededException;
                throw _gate.Blocked(key, e.StatusCode, retryAfter, call.Wire.RateLimit?.Remaining ?? exhausted?.Remaining,
                    call.Wire.RateLimit?.Reset ?? exhausted?.Reset, secondary, operation);
            }
            catch (ApiException e)
            {
                _gate.Succeeded(key);
                throw GitHubFailure.Answer(e, operation);
            }
            catch (Exception e) when (GitHubFailure.Other(e, operation, ct) is { } failure)
            {
                throw failure;
            }
            finally
            {
                if (call.Wire.RateLimit is { } rate)
                {
                    _gate.Observe(rate);
                }
            }
        }
    }

    private bool CanRetryUnauthorized(Credential credential) =>
        credential == Credential.User ? _tokens.CanRefreshUserToken : _tokens.UsesApp || (_tokens.RepositoryCredential == "user" && _tokens.CanRefreshUserToken);

    /// <summary>The <c>page</c> query parameter of a Link URL, or null.</summary>
    private static int? PageOf(Uri? link) =>
        link is not null && int.TryParse(HttpUtility.ParseQueryString(link.Query)["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : null;

    private enum Credential
    {
        User,
        Repository,
    }
}
