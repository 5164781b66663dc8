using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class GitHubEmulator
{
    private const string RateLimitDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HashSet<long> _blocked = [];

    private async Task HandleRestAsync(HttpContext http, string route)
    {
        Interlocked.Increment(ref _restRequestCount);
        var response = http.Response;
        response.Headers["x-github-api-version-selected"] = "2022-11-28";
        response.Headers["x-github-request-id"] = Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";

        if (HttpMethods.IsPost(http.Request.Method) && route.Split('/') is ["app", "installations", var installationText, "access_tokens"]
            && long.TryParse(installationText, NumberStyles.None, CultureInfo.InvariantCulture, out var installationId))
        {
            await HandleInstallationTokenAsync(http, installationId);
            return;
        }

        var (invalid, user) = Authenticate(http.Request);
        var budgetKey = user is not null ? "user:" + user : "ip:" + http.Connection.RemoteIpAddress;
        var limit = user is null ? AnonymousLimit : AuthenticatedLimit;
        if (invalid)
        {
            await WriteJsonAsync(http, 401, Message("Bad credentials", "https://docs.github.com/rest", 401));
            return;
        }

        var counted = !route.Equals("rate_limit", StringComparison.Ordinal); // GET /rate_limit is free
        RateState rate;
        lock (_gate)
        {
            rate = RateLimitLocked(budgetKey, limit, user);
        }

        if (rate.Rejection is { } rejection)
        {
            WriteRateHeaders(response, rate);
            if (rate.RetryAfter is int retryAfter)
            {
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(http, rate.Status, rejection);
            return;
        }

        var answer = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? Route(http, route, user, rate)
            : new RestAnswer(404, NotFound());
        var body = answer.Body is null ? null : answer.Body.ToJsonString(Compact);
        if (answer.Status == 200 && body is not null)
        {
            var etag = ETag(http.Request.Headers.Accept.ToString(), body);
            response.Headers.ETag = etag;
            if (Matches(http.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                // Conditional requests answered 304 do not count against the primary rate limit.
                WriteRateHeaders(response, rate);
                response.StatusCode = 304;
                return;
            }
        }

        if (counted)
        {
            lock (_gate)
            {
                rate = CountLocked(budgetKey, limit);
            }
        }

        WriteRateHeaders(response, rate);
        if (answer.Link is not null)
        {
            response.Headers.Link = answer.Link;
        }

        if (answer.Location is not null)
        {
            response.Headers.Location = answer.Location;
        }

        response.Headers["x-github-media-type"] = answer.MediaType ?? "github.v3; format=json";
        if (body is null)
        {
            response.StatusCode = answer.Status;
            return;
        }

        await HttpResults.TextAsync(http, answer.Status, body, "application/json; charset=utf-8");
    }

    private RestAnswer Route(HttpContext http, string route, string? user, RateState rate)
    {
        var segments = route.TrimEnd('/').Split('/');
        if (IsInstallation(user) && segments[0] == "user")
        {
            // An installation token has no user context: /user/starred needs a user access token.
            return new RestAnswer(403, Message("Resource not accessible by integration", "https://docs.github.com/rest/activity/starring#list-repositories-starred-by-the-authenticated-user", 403));
        }

        switch (segments)
        {
            case ["user"]:
                return user is null ? RequiresAuthentication() : new RestAnswer(200, AuthenticatedUserJson());
            case ["user", "starred"]:
                return user is null ? RequiresAuthentication() : Starred(http, "user/starred", includePrivate: true);
            case ["user", "starred", var owner, var name]:
                if (user is null)
                {
                    return RequiresAuthentication();
                }

                lock (_gate)
                {
                    var repository = FindLocked(owner + "/" + name, followRedirects: true);
                    return repository is not null && _stars.ContainsKey(repository.Id) ? new RestAnswer(204, null) : new RestAnswer(404, NotFound());
                }

            case ["users", var login, "starred"]:
                return login.Equals(UserLogin, StringComparison.OrdinalIgnoreCase)
                    ? Starred(http, $"users/{login}/starred", includePrivate: false)
                    : new RestAnswer(404, NotFound());
            case ["repos", var owner, var name]:
                return RepositoryAnswer(user, () => FindLocked(owner + "/" + name, followRedirects: false), () => _redirects.GetValueOrDefault(owner + "/" + name));
            case ["repositories", var idText] when long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                return RepositoryAnswer(user, () => _repositories.GetValueOrDefault(id), () => 0);
            case ["rate_limit"]:
                var core = new JsonObject { ["limit"] = rate.Limit, ["remaining"] = rate.Remaining, ["reset"] = rate.Reset.ToUnixTimeSeconds(), ["used"] = rate.Used, ["resource"] = "core" };
                return new RestAnswer(200, new JsonObject { ["resources"] = new JsonObject { ["core"] = core }, ["rate"] = core.DeepClone() });
            default:
                return new RestAnswer(404, NotFound());
        }
    }

    private RestAnswer RepositoryAnswer(string? user, Func<EmulatedRepository?> find, Func<long> redirect)
    {
        lock (_gate)
        {
            var repository = find();
            if (repository is null && redirect() is var movedId and > 0 && _repositories.TryGetValue(movedId, out var moved) && (!moved.IsPrivate || user is not null))
            {
                var url = ApiUrl + "repositories/" + movedId.ToString(CultureInfo.InvariantCulture);
                var body = new JsonObject { ["message"] = "Moved Permanently", ["url"] = url, ["documentation_url"] = "https://docs.github.com/v3/#http-redirects" };
                return new RestAnswer(301, body, Location: url);
            }

            // Private repositories are invisible (404, not 403) without a token that can read them.
            if (repository is null || (repository.IsPrivate && user is null))
            {
                return new RestAnswer(404, NotFound("https://docs.github.com/rest/repos/repos#get-a-repository"));
            }

            if (_blocked.Contains(repository.Id))
            {
                var block = new JsonObject { ["reason"] = "dmca", ["created_at"] = Timestamp(repository.UpdatedAt), ["html_url"] = "https://github.com/github/dmca" };
                var blocked = Message("Repository access blocked", "https://docs.github.com/rest/repos/repos#get-a-repository", 451);
                blocked["block"] = block;
                return new RestAnswer(451, blocked);
            }

            var json = repository.ToJson();
            if (user is not null)
            {
                json["permissions"] = new JsonObject { ["admin"] = false, ["maintain"] = false, ["push"] = false, ["triage"] = false, ["pull"] = true };
            }

            return new RestAnswer(200, json);
        }
    }

    /// <summary>GET /user/starred: sort, direction, per_page (max 100, default 30), page, Link header, star+json.</summary>
    private RestAnswer Starred(HttpContext http, string resource, bool includePrivate)
    {
        var query = http.Request.Query;
        var perPage = Math.Clamp(IntParam(query, "per_page", 30), 1, 100);
        var page = Math.Max(IntParam(query, "page", 1), 1);
        var byUpdated = query["sort"].ToString() == "updated";
        var ascending = query["direction"].ToString() == "asc";
        var withDates = http.Request.Headers.Accept.ToString().Contains("star+json", StringComparison.OrdinalIgnoreCase);

        List<(EmulatedRepository Repository, DateTimeOffset At, long Sequence)> stars;
        lock (_gate)
        {
            stars = [.. _stars
                .Where(s => _repositories.ContainsKey(s.Key) && (includePrivate || !_repositories[s.Key].IsPrivate))
                .Select(s => (_repositories[s.Key], s.Value.At, s.Value.Sequence))];
        }

        var ordered = byUpdated
            ? stars.OrderBy(s => s.Repository.UpdatedAt).ThenBy(s => s.Sequence)
            : stars.OrderBy(s => s.At).ThenBy(s => s.Sequence);
        var list = ascending ? ordered.ToList() : ordered.Reverse().ToList();
        var lastPage = Math.Max(1, (list.Count + perPage - 1) / perPage);
        var items = new JsonArray();
        foreach (var (repository, at, _) in list.Skip((page - 1) * perPage).Take(perPage))
        {
            JsonNode json;
            lock (_gate)
            {
                json = repository.ToJson();
            }

            items.Add(withDates ? new JsonObject { ["starred_at"] = Timestamp(at), ["repo"] = json } : json);
        }

        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{PageUrl(http, resource, Math.Min(page - 1, lastPage))}>; rel=\"prev\"");
        }

        if (page < lastPage)
        {
            links.Add($"<{PageUrl(http, resource, page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(http, resource, lastPage)}>; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"<{PageUrl(http, resource, 1)}>; rel=\"first\"");
        }

        return new RestAnswer(200, items, Link: links.Count == 0 ? null : string.Join(", ", links), MediaType: withDates ? "github.v3; param=star; format=json" : null);
    }

    private string PageUrl(HttpContext http, string resource, int page)
    {
        var pairs = http.Request.Query
            .Where(q => q.Key != "page")
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? string.Empty)))
            .Append("page=" + page.ToString(CultureInfo.InvariantCulture));
        return ApiUrl + resource + "?" + string.Join("&", pairs);
    }

    private static int IntParam(IQueryCollection query, string name, int fallback) =>
        int.TryParse(query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>Applies forced exhaustion, secondary limits and window roll-over; expects _gate to be held.</summary>
    private RateState RateLimitLocked(string budgetKey, int limit, string? user)
    {
        var now = _time.GetUtcNow();
        if (_exhaustedUntil is { } until && now >= until)
        {
            _exhaustedUntil = null;
            _budgets.Clear(); // the window reset: everyone starts over
        }

        var budget = Budget(budgetKey, now);
        if (_secondaryCount > 0)
        {
            _secondaryCount--;
            var message = Message(
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID "
                + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant() + ".",
                "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                _secondaryStatus);
            return new RateState(limit, Math.Max(0, limit - budget.Used), budget.Used, budget.Reset, message, _secondaryStatus, _secondaryRetryAfter);
        }

        if (_exhaustedUntil is { } reset || budget.Used >= limit)
        {
            var resetAt = _exhaustedUntil ?? budget.Reset;
            var who = user is null ? "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)" : "user ID " + UserId.ToString(CultureInfo.InvariantCulture) + ".";
            var status = _exhaustedUntil is null ? 403 : _exhaustedStatus;
            return new RateState(limit, 0, limit, resetAt, Message("API rate limit exceeded for " + who, RateLimitDocs, status), status,
                _exhaustedUntil is null ? null : _exhaustedRetryAfter);
        }

        return new RateState(limit, limit - budget.Used, budget.Used, budget.Reset, null, 200, null);
    }

    private RateState CountLocked(string budgetKey, int limit)
    {
        var budget = Budget(budgetKey, _time.GetUtcNow());
        budget.Used++;
        return new RateState(limit, Math.Max(0, limit - budget.Used), budget.Used, budget.Reset, null, 200, null);
    }

    private RateBudget Budget(string key, DateTimeOffset now)
    {
        if (!_budgets.TryGetValue(key, out var budget) || now >= budget.Reset)
        {
            budget = new RateBudget { Used = 0, Reset = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 3600) };
            _budgets[key] = budget;
        }

        return budget;
    }

    private static void WriteRateHeaders(HttpResponse response, RateState rate)
    {
        response.Headers["x-ratelimit-limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = rate.Used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = rate.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";
    }

    /// <summary>Token from <c>Authorization: token|Bearer</c> or Basic (token as password or user). Unknown tokens are invalid.</summary>
    private (bool Invalid, string? User) Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return (false, null);
        }

        string[] candidates;
        if (header.StartsWith("token ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            candidates = [header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim()];
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                candidates = colon < 0 ? [decoded] : [decoded[(colon + 1)..], decoded[..colon]];
            }
            catch (FormatException)
            {
                return (true, null);
            }
        }
        else
        {
            return (true, null);
        }

        if (candidates.Any(c => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(c), Encoding.UTF8.GetBytes(Token))))
        {
            return (false, UserLogin);
        }

        // GitHub App tokens: installation tokens (ghs_) and user access tokens (ghu_); expired ones are bad credentials.
        foreach (var candidate in candidates)
        {
            if (AuthenticateAppToken(candidate) is { Known: true } app)
            {
                return app.Valid ? (false, app.Principal) : (true, null);
            }
        }

        return (true, null);
    }

    private JsonObject AuthenticatedUserJson()
    {
        var user = UserJson(this, UserLogin, UserId);
        user["name"] = "The Octocat";
        user["public_repos"] = 0;
        user["created_at"] = "2011-01-25T18:44:36Z";
        return user;
    }

    /// <summary>
    /// Blocks a repository for legal reasons (DMCA): its REST lookups answer 451 <c>Repository access blocked</c>.
    /// </summary>
    public void BlockRepository(long id)
    {
        lock (_gate)
        {
            _ = Repository(id);
            _blocked.Add(id);
        }
    }

    private static string ETag(string accept, string body) =>
        "W/\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accept + "\n" + body))) + "\"";

    private static bool Matches(string ifNoneMatch, string etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        static string Strip(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        return ifNoneMatch.Split(',').Any(t => t.Trim() == "*" || Strip(t) == Strip(etag));
    }

    private static Task WriteJsonAsync(HttpContext http, int status, JsonNode body) =>
        HttpResults.TextAsync(http, status, body.ToJsonString(Compact), "application/json; charset=utf-8");

    private static JsonObject Message(string message, string documentationUrl, int status) => new()
    {
        ["message"] = message,
        ["documentation_url"] = documentationUrl,
        ["status"] = status.ToString(CultureInfo.InvariantCulture),
    };

    private static JsonObject NotFound(string documentationUrl = "https://docs.github.com/rest") => Message("Not Found", documentationUrl, 404);

    private static RestAnswer RequiresAuthentication() =>
        new(401, Message("Requires authentication", "https://docs.github.com/rest", 401));

    private sealed record RestAnswer(int Status, JsonNode? Body, string? Location = null, string? Link = null, string? MediaType = null);

    private sealed record RateState(int Limit, int Remaining, int Used, DateTimeOffset Reset, JsonObject? Rejection, int Status, int? RetryAfter);
}
