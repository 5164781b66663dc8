using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace StarSync.Emulators.Tests;

public sealed class GitHubEmulatorRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Client(GitHubEmulator github, string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = github.ApiUrl };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("StarSync-Tests");
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [Fact]
    public async Task GetRepository_ByNameAndById_ReturnsGitHubShape()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("fastapi", "fastapi", defaultBranch: "master");
        repository.Description = "FastAPI framework";
        using var client = Client(github, null);

        var byName = await client.GetStringAsync("repos/FastAPI/fastapi", Ct);
        var byId = await client.GetStringAsync($"repositories/{repository.Id}", Ct);

        Assert.Equal(byName, byId);
        using var json = JsonDocument.Parse(byName);
        var root = json.RootElement;
        Assert.Equal(repository.Id, root.GetProperty("id").GetInt64());
        Assert.Equal("fastapi/fastapi", root.GetProperty("full_name").GetString());
        Assert.Equal("fastapi", root.GetProperty("owner").GetProperty("login").GetString());
        Assert.Equal("User", root.GetProperty("owner").GetProperty("type").GetString());
        Assert.False(root.GetProperty("private").GetBoolean());
        Assert.Equal(github.BaseUrl + "fastapi/fastapi.git", root.GetProperty("clone_url").GetString());
        Assert.Equal(repository.CloneUrl.ToString(), root.GetProperty("clone_url").GetString());
        Assert.Equal("master", root.GetProperty("default_branch").GetString());
        Assert.Equal("FastAPI framework", root.GetProperty("description").GetString());
        Assert.False(root.GetProperty("archived").GetBoolean());
        Assert.True(root.TryGetProperty("pushed_at", out _));
    }

    [Fact]
    public async Task GetRepository_PrivateWithoutToken_Returns404()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        github.CreateRepository("octocat", "secret", isPrivate: true);
        using var anonymous = Client(github, null);
        using var authenticated = Client(github, github.Token);

        using var hidden = await anonymous.GetAsync("repos/octocat/secret", Ct);
        using var visible = await authenticated.GetAsync("repos/octocat/secret", Ct);

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var json = JsonDocument.Parse(await hidden.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Not Found", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, visible.StatusCode);
    }

    [Fact]
    public async Task GetRepository_AfterRename_OldPathAnswers301ToRepositoryId()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("old-owner", "old-name");
        github.RenameRepository(repository.Id, "new-owner", "new-name");
        using var client = Client(github, github.Token);

        using var moved = await client.GetAsync("repos/old-owner/old-name", Ct);
        using var current = await client.GetAsync("repos/new-owner/new-name", Ct);

        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal(new Uri(github.ApiUrl, $"repositories/{repository.Id}"), moved.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("new-owner/new-name", repository.FullName);
    }

    [Fact]
    public async Task GetRepository_Deleted_Returns404()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "gone");
        github.DeleteRepository(repository.Id);
        using var client = Client(github, github.Token);

        using var byName = await client.GetAsync("repos/octocat/gone", Ct);
        using var byId = await client.GetAsync($"repositories/{repository.Id}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, byName.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
    }

    [Fact]
    public async Task User_WithTokenAndWithout_ReturnsOctocatOr401()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        using var authenticated = Client(github, github.Token);
        using var anonymous = Client(github, null);
        using var bad = Client(github, "ghp_wrong");

        using var json = JsonDocument.Parse(await authenticated.GetStringAsync("user", Ct));
        using var missing = await anonymous.GetAsync("user", Ct);
        using var wrong = await bad.GetAsync("user", Ct);

        Assert.Equal("octocat", json.RootElement.GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Bad credentials", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starred_Paginated_ReturnsNewestFirstWithLinkHeader()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var repository = github.CreateRepository("owner", "repo" + i);
            github.Star(repository.Id, start.AddDays(i));
            ids.Add(repository.Id);
        }

        using var client = Client(github, github.Token);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github.star+json");

        using var first = await client.GetAsync("user/starred?sort=created&direction=desc&per_page=2", Ct);
        using var middle = await client.GetAsync("user/starred?sort=created&direction=desc&per_page=2&page=2", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstLink = string.Join(", ", first.Headers.GetValues("Link"));
        var url = github.ApiUrl + "user/starred?sort=created&direction=desc&per_page=2";
        Assert.Equal($"<{url}&page=2>; rel=\"next\", <{url}&page=3>; rel=\"last\"", firstLink);
        using var page1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        var items = page1.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(ids[4], items[0].GetProperty("repo").GetProperty("id").GetInt64());
        Assert.Equal("2026-01-05T00:00:00Z", items[0].GetProperty("starred_at").GetString());
        var middleLink = string.Join(", ", middle.Headers.GetValues("Link"));
        Assert.Equal($"<{url}&page=1>; rel=\"prev\", <{url}&page=3>; rel=\"next\", <{url}&page=3>; rel=\"last\", <{url}&page=1>; rel=\"first\"", middleLink);
    }

    [Fact]
    public async Task Starred_WithoutStarMediaType_ReturnsPlainRepositories()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("owner", "repo");
        github.Star(repository.Id);
        using var client = Client(github, github.Token);

        using var response = await client.GetAsync("user/starred", Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal(repository.Id, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Starred_MatchingIfNoneMatch_Returns304WithoutUsingRateLimit()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        github.Star(github.CreateRepository("owner", "repo").Id);
        using var client = Client(github, github.Token);

        using var first = await client.GetAsync("user/starred", Ct);
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "user/starred");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Equal("4999", first.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("4999", second.Headers.GetValues("x-ratelimit-remaining").Single());

        github.Star(github.CreateRepository("owner", "other").Id);
        using var changedRequest = new HttpRequestMessage(HttpMethod.Get, "user/starred");
        changedRequest.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(changedRequest, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(3, github.RestRequestCount);
    }

    [Fact]
    public async Task Starred_WithoutToken_Returns401()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        using var client = Client(github, null);

        using var response = await client.GetAsync("user/starred", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StarredCheck_StarredAndUnstarred_Returns204Or404()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("owner", "repo");
        github.Star(repository.Id);
        using var client = Client(github, github.Token);

        using var starred = await client.GetAsync("user/starred/owner/repo", Ct);
        github.Unstar(repository.Id);
        using var unstarred = await client.GetAsync("user/starred/owner/repo", Ct);

        Assert.Equal(HttpStatusCode.NoContent, starred.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unstarred.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Exhausted_Returns403WithHeadersUntilReset()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", CultureInfo.InvariantCulture));
        await using var github = await GitHubEmulator.StartAsync(clock, Ct);
        using var client = Client(github, github.Token);
        github.ExhaustRateLimit(TimeSpan.FromMinutes(10));

        using var limited = await client.GetAsync("user", Ct);
        clock.Advance(TimeSpan.FromMinutes(10));
        using var recovered = await client.GetAsync("user", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("5000", limited.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.Equal("core", limited.Headers.GetValues("x-ratelimit-resource").Single());
        var reset = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(reset, limited.Headers.GetValues("x-ratelimit-reset").Single());
        Assert.Contains("API rate limit exceeded", await limited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("4999", recovered.Headers.GetValues("x-ratelimit-remaining").Single());
    }

    [Fact]
    public async Task RateLimit_Exhausted429_Returns429()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        using var client = Client(github, github.Token);
        github.ExhaustRateLimit(TimeSpan.FromHours(1), 429);

        using var limited = await client.GetAsync("user/starred", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
    }

    [Fact]
    public async Task SecondaryRateLimit_Next_ReturnsRetryAfterOnce()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        using var client = Client(github, github.Token);
        github.SecondaryRateLimitNext(1, retryAfterSeconds: 60);

        using var limited = await client.GetAsync("user", Ct);
        using var next = await client.GetAsync("user", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter?.Delta);
        Assert.Contains("secondary rate limit", await limited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Anonymous_Has60RequestBudget()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("owner", "repo");
        using var client = Client(github, null);

        using var response = await client.GetAsync($"repositories/{repository.Id}", Ct);

        Assert.Equal("60", response.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.Equal("59", response.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("1", response.Headers.GetValues("x-ratelimit-used").Single());
    }
}
