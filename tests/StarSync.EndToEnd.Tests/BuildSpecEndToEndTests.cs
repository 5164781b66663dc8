using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// Starring a repository never runs its code on the user's OneDev: by default a build spec at a pushed tip stops
/// the sync before anything is pushed; the admin API lets one mirror carry it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BuildSpecEndToEndTests(TestServers servers)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task StarredRepositoryWithABuildSpec_IsRefusedByDefault_AndMirroredOnceTheMirrorAllowsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "with-ci");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", ".onedev-buildspec.yml", "version: 40\njobs:\n- name: ci\n", "add CI");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }

        var failed = await stack.WaitForStateAsync(repository.Id, "Failed", SyncTimeout, ct);

        Assert.Contains(".onedev-buildspec.yml at the tip of refs/heads/main", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("buildspec/refused", await stack.HistoryAsync(repository.Id, ct));
        Assert.Empty(await stack.OneDevRefsAsync(failed.ProjectPath!, ct));
        Assert.Empty(stack.OneDev.JobTriggers);

        using var http = new HttpClient { BaseAddress = stack.Ingress.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StarSyncStack.AdminToken);
        using var allow = await http.PutAsync(new Uri($"admin/mirrors/{repository.Id}/build-spec-policy", UriKind.Relative),
            new StringContent("""{"policy": "Allow"}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.Accepted, allow.StatusCode);

        var completed = await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await stack.OneDevRefsAsync(completed.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.Contains("buildspec/allowed", await stack.HistoryAsync(repository.Id, ct));
        Assert.Equal("refs/heads/main", Assert.Single(stack.OneDev.JobTriggers).Ref);
    }
}
