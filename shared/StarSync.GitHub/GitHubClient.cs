using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

using StarSync.Contracts;

namespace StarSync.GitHub;

/// <summary>
/// Typed client for the GitHub REST API parts StarSync needs (register with
/// <see cref="GitHubServiceCollectionExtensions.AddGitHubClient"/>). Every answer's <c>x-ratelimit-*</c> headers are read;
/// a rate-limit 403/429 throws <see cref="GitHubRateLimitedException"/> and blocks the credential until its
/// <c>RetryAt</c> (later calls fail fast without being sent). ETags are remembered and sent as <c>If-None-Match</c>;
/// a 304 returns the remembered answer. Other failures throw <see cref="GitHubException"/>.
/// </summary>
public sealed class GitHubClient
{
    internal const string ApiVersion = "2022-11-28";
    internal const string ApiClientName = "StarSync.GitHub";

    private const string StarJson = "application/vnd.github.star+json";
    private const string GitHubJson = "application/vnd.github+json";
    private const int MaxMessage = 300;

    private readonly HttpClient _http;
    private readonly GitHubTokenProvider _tokens;
    private readonly GitHubRateLimitGate _gate;
    private readonly ETagCache _etags;
    private readonly TimeProvider _time;

    internal GitHubClient(HttpClient http, GitHubTokenProvider tokens, GitHubRateLimitGate gate, ETagCache etags, TimeProvider time)
    {
        _http = http;
        _tokens = tokens;
        _gate = gate;
        _etags = etags;
        _time = time;
    }

    /// <summary>The <c>x-ratelimit-*</c> headers of the latest answer, or null before the first.</summary>
    public RateLimitStatus? RateLimit => _gate.Last;

    /// <summary>
    /// <c>GET /user/starred?sort=created&amp;direction=desc</c> with <c>Accept: application/vnd.github.star+json</c>, as
    /// the user. <paramref name="ifNoneMatch"/> is sent as <c>If-None-Match</c> (null: the ETag remembered for this page,
    /// if any); a 304 does not count against the primary rate limit.
    /// </summary>
    public async Task<StarredPage> GetStarredPageAsync(int page, int perPage, string? ifNoneMatch, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, 100);
        var path = string.Create(CultureInfo.InvariantCulture, $"user/starred?sort=created&direction=desc&per_page={perPage}&page={page}");
        var operation = string.Create(CultureInfo.InvariantCulture, $"list starred repositories (page {page})");
        var cacheKey = CacheKey(_tokens.UserCredential, StarJson, path);
        var remembered = _etags.TryGet<StarredPage>(cacheKey, out var rememberedTag, out var cached) ? cached : null;
        var sentTag = ifNoneMatch ?? (remembered is null ? null : rememberedTag);

        var response = await SendAsync(Credential.User, path, StarJson, sentTag, operation, ct).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotModified)
        {
            var same = remembered is not null && rememberedTag == sentTag;
            return new StarredPage(true, same ? remembered!.Items : [], sentTag, same ? remembered!.NextPage : null, same ? remembered!.LastPage : null);
        }

        EnsureSuccess(response, operation);
        var items = new List<StarredRepository>();
        using (var json = Parse(response, operation))
        {
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new GitHubException($"GitHub answered with something other than a list when asked to {operation}.", response.Status, isTransient: false);
            }

            foreach (var item in json.RootElement.EnumerateArray())
            {
                // star+json wraps each repository as {starred_at, repo}; plain JSON (a proxy dropping Accept) has no dates.
                if (item.TryGetProperty("repo", out var repo) && item.TryGetProperty("starred_at", out var at) && at.ValueKind == JsonValueKind.String)
                {
                    items.Add(new StarredRepository(at.GetDateTimeOffset(), ToRepository(repo, operation)));
                }
                else
                {
                    throw new GitHubException($"GitHub answered without starred_at when asked to {operation} (star+json media type ignored).", response.Status, isTransient: false);
                }
            }
        }

        var links = GitHubLinkHeader.Parse(response.Link);
        var result = new StarredPage(
            false,
            items,
            response.ETag,
            GitHubLinkHeader.PageOf(links.GetValueOrDefault("next")),
            GitHubLinkHeader.PageOf(links.GetValueOrDefault("last")) ?? (links.ContainsKey("next") ? null : page));
        if (response.ETag is not null)
        {
            _etags.Set(cacheKey, response.ETag, result);
        }

        return result;
    }

    /// <summary><c>GET /repositories/{id}</c>: Found, NotFound (404), Blocked (451 / 403 "Repository access blocked") or Moved (301, followed once).</summary>
    public Task<RepositoryLookup> GetRepositoryAsync(long id, CancellationToken ct) =>
        LookupAsync(string.Create(CultureInfo.InvariantCulture, $"repositories/{id}"), string.Create(CultureInfo.InvariantCulture, $"read repository #{id}"), ct);

    /// <summary><c>GET /repos/{owner}/{name}</c>: Found, NotFound, Blocked, or Moved after a rename or transfer (301, followed once).</summary>
    public Task<RepositoryLookup> GetRepositoryAsync(string owner, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return LookupAsync($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}", $"read repository {owner}/{name}", ct);
    }

    /// <summary>
    /// <c>GET /user/starred/{owner}/{name}</c> as the user: true (204), false (404). Null when GitHub answers something
    /// that neither confirms nor denies (another 2xx); errors throw.
    /// </summary>
    public async Task<bool?> IsStarredAsync(string owner, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var operation = $"check whether {owner}/{name} is starred";
        var response = await SendAsync(
            Credential.User, $"user/starred/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}", GitHubJson, null, operation, ct).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.NoContent => true,
            HttpStatusCode.NotFound => false,
            _ when (int)response.Status is >= 200 and < 300 => null,
            _ => throw Failure(response, operation),
        };
    }

    internal static string MessageOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return Truncate(message.GetString() ?? string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not JSON: show the start of the text.
        }

        return Truncate(body);
    }

    private static string Truncate(string text) => text.Length <= MaxMessage ? text : text[..MaxMessage] + "...";

    private async Task<RepositoryLookup> LookupAsync(string path, string operation, CancellationToken ct)
    {
        var first = await LookupOnceAsync(path, operation, ct).ConfigureAwait(false);
        if (first.Redirect is not { } location)
        {
            return first.Lookup!;
        }

        // Renamed or transferred: follow the 301 once, only to the same API host (the token goes with it).
        var api = _http.BaseAddress!;
        if (!string.Equals(location.GetLeftPart(UriPartial.Authority), api.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !location.AbsolutePath.StartsWith(api.AbsolutePath, StringComparison.Ordinal))
        {
            throw new GitHubException($"GitHub redirected to another host when asked to {operation}; not following.", HttpStatusCode.MovedPermanently, isTransient: false);
        }

        var relative = api.MakeRelativeUri(location).ToString();
        var second = await LookupOnceAsync(relative, operation + " (after a redirect)", ct).ConfigureAwait(false);
        if (second.Redirect is not null)
        {
            throw new GitHubException($"GitHub redirected twice when asked to {operation}.", HttpStatusCode.MovedPermanently, isTransient: false);
        }

        return second.Lookup!.Status == RepositoryLookupStatus.Found ? RepositoryLookup.Moved(second.Lookup.Repository!, location) : second.Lookup;
    }

    private async Task<(RepositoryLookup? Lookup, Uri? Redirect)> LookupOnceAsync(string path, string operation, CancellationToken ct)
    {
        var cacheKey = CacheKey(_tokens.RepositoryCredential, GitHubJson, path);
        var remembered = _etags.TryGet<GitHubRepository>(cacheKey, out var tag, out var cached) ? cached : null;
        var response = await SendAsync(Credential.Repository, path, GitHubJson, remembered is null ? null : tag, operation, ct).ConfigureAwait(false);
        switch (response.Status)
        {
            case HttpStatusCode.NotModified when remembered is not null:
                return (RepositoryLookup.Found(remembered), null);
            case HttpStatusCode.OK:
                GitHubRepository repository;
                using (var json = Parse(response, operation))
                {
                    repository = ToRepository(json.RootElement, operation);
                }

                if (response.ETag is not null)
                {
                    _etags.Set(cacheKey, response.ETag, repository);
                }

                return (RepositoryLookup.Found(repository), null);
            case HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect:
                var location = response.Location ?? LocationFromBody(response.Body)
                    ?? throw new GitHubException($"GitHub answered {(int)response.Status} without a location when asked to {operation}.", response.Status, isTransient: false);
                return (null, location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location));
            case HttpStatusCode.NotFound:
                _etags.Remove(cacheKey);
                return (RepositoryLookup.NotFound, null);
            case HttpStatusCode.UnavailableForLegalReasons:
                _etags.Remove(cacheKey);
                return (RepositoryLookup.Blocked, null);
            case HttpStatusCode.Forbidden when MessageOf(response.Body).Contains("Repository access blocked", StringComparison.OrdinalIgnoreCase):
                _etags.Remove(cacheKey);
                return (RepositoryLookup.Blocked, null);
            default:
                throw Failure(response, operation);
        }
    }

    private static Uri? LocationFromBody(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) ? uri : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends one GET with the credential's token, honouring and recording rate limits; retries once after a 401 that a new token may cure.</summary>
    private async Task<Answer> SendAsync(Credential credential, string path, string accept, string? ifNoneMatch, string operation, CancellationToken ct)
    {
        var key = credential == Credential.User ? _tokens.UserCredential : _tokens.RepositoryCredential;
        for (var attempt = 1; ; attempt++)
        {
            _gate.ThrowIfBlocked(key, operation);
            var token = credential == Credential.User
                ? await _tokens.GetUserTokenAsync(ct).ConfigureAwait(false)
                : await _tokens.GetInstallationTokenAsync(ct).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            request.Headers.Accept.ParseAdd(accept);
            request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", ApiVersion);
            if (!string.IsNullOrEmpty(ifNoneMatch))
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            }

            var answer = await TransmitAsync(request, operation, ct).ConfigureAwait(false);
            var rate = ReadRateLimit(answer.Headers);
            if (rate is not null)
            {
                _gate.Observe(rate);
            }

            if (answer.Status == HttpStatusCode.Unauthorized && attempt == 1 && token is not null && CanRetryUnauthorized(credential))
            {
                if (credential == Credential.User)
                {
                    _tokens.InvalidateUserToken(token);
                }
                else
                {
                    _tokens.InvalidateInstallationToken(token);
                }

                continue;
            }

            if (answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests && IsRateLimit(answer, rate, _time.GetUtcNow(), out var retryAfter, out var secondary))
            {
                throw _gate.Blocked(key, answer.Status, retryAfter, rate?.Remaining, rate?.Reset, secondary, operation);
            }

            _gate.Succeeded(key);
            return answer;
        }
    }

    private bool CanRetryUnauthorized(Credential credential) =>
        credential == Credential.User ? _tokens.CanRefreshUserToken : _tokens.UsesApp || (_tokens.RepositoryCredential == "user" && _tokens.CanRefreshUserToken);

    private async Task<Answer> TransmitAsync(HttpRequestMessage request, string operation, CancellationToken ct)
    {
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return new Answer(response.StatusCode, response.ReasonPhrase, response.Headers, body, response.Headers.Location, response.Headers.ETag?.ToString(),
                response.Headers.TryGetValues("Link", out var link) ? string.Join(", ", link) : null);
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

    /// <summary>
    /// A 403/429 is a rate limit when <c>x-ratelimit-remaining</c> is 0, <c>retry-after</c> is present, or the message
    /// names a (secondary) rate limit; otherwise it is a permission error (or a block, handled by the caller).
    /// </summary>
    private static bool IsRateLimit(Answer answer, RateLimitStatus? rate, DateTimeOffset now, out TimeSpan? retryAfter, out bool secondary)
    {
        retryAfter = null;
        if (answer.Headers.RetryAfter is { } header)
        {
            retryAfter = header.Delta ?? (header.Date is { } date ? date - now : null);
            if (retryAfter < TimeSpan.Zero)
            {
                retryAfter = TimeSpan.Zero;
            }
        }

        var message = MessageOf(answer.Body);
        secondary = message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("abuse", StringComparison.OrdinalIgnoreCase)
            || (retryAfter is not null && rate?.Remaining != 0);
        var primary = rate?.Remaining == 0 || message.Contains("rate limit exceeded", StringComparison.OrdinalIgnoreCase);
        if (primary && !message.Contains("secondary", StringComparison.OrdinalIgnoreCase))
        {
            secondary = false;
        }

        return primary || secondary || retryAfter is not null;
    }

    private RateLimitStatus? ReadRateLimit(HttpResponseHeaders headers)
    {
        static string? Header(HttpResponseHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        var remaining = Int(Header(headers, "x-ratelimit-remaining"));
        var reset = long.TryParse(Header(headers, "x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) ? epoch : (long?)null;
        if (remaining is null || reset is null)
        {
            return null;
        }

        var limit = Int(Header(headers, "x-ratelimit-limit")) ?? 0;
        var used = Int(Header(headers, "x-ratelimit-used")) ?? Math.Max(0, limit - remaining.Value);
        return new RateLimitStatus(limit, remaining.Value, used, DateTimeOffset.FromUnixTimeSeconds(reset.Value), Header(headers, "x-ratelimit-resource") ?? "core", _time.GetUtcNow());
    }

    private static void EnsureSuccess(Answer response, string operation)
    {
        if (response.Status != HttpStatusCode.OK)
        {
            throw Failure(response, operation);
        }
    }

    private static GitHubException Failure(Answer response, string operation)
    {
        var code = (int)response.Status;
        var transient = code >= 500 || response.Status == HttpStatusCode.RequestTimeout;
        var hint = response.Status switch
        {
            HttpStatusCode.Unauthorized => " (bad or expired credentials)",
            HttpStatusCode.Forbidden => " (the token lacks a permission)",
            _ => string.Empty,
        };
        return new GitHubException($"GitHub answered {code} {response.Reason}{hint} when asked to {operation}: {MessageOf(response.Body)}", response.Status, transient);
    }

    private static JsonDocument Parse(Answer response, string operation)
    {
        try
        {
            return JsonDocument.Parse(response.Body);
        }
        catch (JsonException e)
        {
            throw new GitHubException($"GitHub answered with unreadable JSON when asked to {operation}.", response.Status, isTransient: false, e);
        }
    }

    private static GitHubRepository ToRepository(JsonElement repo, string operation)
    {
        try
        {
            return new GitHubRepository(
                Id: repo.GetProperty("id").GetInt64(),
                Owner: repo.GetProperty("owner").GetProperty("login").GetString()!,
                Name: repo.GetProperty("name").GetString()!,
                FullName: repo.GetProperty("full_name").GetString()!,
                CloneUrl: repo.GetProperty("clone_url").GetString()!,
                HtmlUrl: repo.GetProperty("html_url").GetString()!,
                DefaultBranch: repo.TryGetProperty("default_branch", out var branch) && branch.ValueKind == JsonValueKind.String ? branch.GetString()! : "main",
                Private: repo.TryGetProperty("private", out var isPrivate) && isPrivate.ValueKind == JsonValueKind.True,
                SizeKb: repo.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : 0,
                Description: repo.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GitHubException($"GitHub answered with a repository missing required fields when asked to {operation}.", HttpStatusCode.OK, isTransient: false, e);
        }
    }

    private static string CacheKey(string credential, string accept, string path) => credential + " " + accept + " " + path;

    private enum Credential
    {
        User,
        Repository,
    }

    /// <summary>A fully read answer (the response itself is disposed as soon as its body is read).</summary>
    private sealed record Answer(HttpStatusCode Status, string? Reason, HttpResponseHeaders Headers, string Body, Uri? Location, string? ETag, string? Link);
}
