using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>Stars GitHub sends no webhook for, found by the Orchestrator's poller; the admin API over the same stack.</summary>
[Trait("Category", "Integration")]
public sealed class StarPollingEndToEndTests(TestServers servers)
{
    [Fact]
    public async Task StarWithoutWebhook_IsMirroredWithinOnePollInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, starPoller: true, ct: ct);
        var repository = stack.GitHub.CreateRepository("someone-else", "cool-tool");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        await source.CreateTagAsync("v1", "main");

        // No webhook: the user stars a repository they do not own.
        stack.GitHub.Star(repository.Id);

        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(60), ct);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.Equal("star/accepted", (await stack.HistoryAsync(repository.Id, ct))[0]);
    }

    [Fact]
    public async Task AdminApi_ShowsTheSagaAndSyncsOnRequest_OnlyWithTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "administered");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }
        await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(90), ct);
        using var http = new HttpClient { BaseAddress = stack.Ingress.BaseUrl };

        using var anonymous = await http.GetAsync($"admin/mirrors/{repository.Id}", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain(repository.FullName, await anonymous.Content.ReadAsStringAsync(ct));

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StarSyncStack.AdminToken);
        using var status = await http.GetAsync($"admin/mirrors/{repository.Id}", ct);
        Assert.True(status.StatusCode == HttpStatusCode.OK,
            $"{status.StatusCode}: {await status.Content.ReadAsStringAsync(ct)}\n{stack.LogTail()}");
        using var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync(ct));
        Assert.Equal("Completed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(repository.FullName, json.RootElement.GetProperty("fullName").GetString());

        using var sync = await http.PostAsync($"admin/mirrors/{repository.Id}/sync", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
        await stack.WaitForHistoryAsync(repository.Id, "mirror/unchanged", 1, TimeSpan.FromSeconds(90), ct);

        using var interval = await http.PutAsJsonAsync($"admin/mirrors/{repository.Id}/interval", new { seconds = 120 }, ct);
        Assert.Equal(HttpStatusCode.Accepted, interval.StatusCode);
        await stack.WaitForHistoryAsync(repository.Id, "interval/set", 1, TimeSpan.FromSeconds(30), ct);

        // This stack's Orchestrator has no GitHub credential: it answers the Ingress that star polling is off.
        using var backfill = await http.PostAsync("admin/stars/backfill", null, ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, backfill.StatusCode);
        Assert.Contains("star polling is not configured", await backfill.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), backfill.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task AdminBackfill_ReachesTheOrchestratorsPoller_AndPublishesEveryStarAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, starPoller: true, ct: ct);
        var repository = stack.GitHub.CreateRepository("someone-else", "backfilled");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        stack.GitHub.Star(repository.Id);
        await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(60), ct);
        using var http = new HttpClient { BaseAddress = stack.Ingress.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StarSyncStack.AdminToken);

        using var backfill = await http.PostAsync("admin/stars/backfill", null, ct);

        Assert.Equal(HttpStatusCode.Accepted, backfill.StatusCode);
        // The active poller runs it within a poll interval: the star arrives again, from the backfill.
        await stack.WaitForHistoryAsync(repository.Id, "star/ignored", 1, TimeSpan.FromSeconds(60), ct);
    }
}
