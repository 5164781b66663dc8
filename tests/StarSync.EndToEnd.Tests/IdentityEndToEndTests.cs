using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// A mirror never takes another repository's content: GitHub lets anyone reuse the name of a renamed, transferred
/// or deleted repository, so the three processes must follow the repository id, never a recorded name.
/// </summary>
[Trait("Category", "Integration")]
public sealed class IdentityEndToEndTests(TestServers servers)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RenamedRepositoryWhoseOldNameIsReused_KeepsMirroringItselfOnAPush()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var original = stack.GitHub.CreateRepository("octo", "a");
        var source = await SourceRepository.CreateAsync(original.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        await source.CommitAsync("feature", "f.txt", "f", "feature work");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(original), ct)) { }
        var mirror = await stack.WaitForStateAsync(original.Id, "Completed", SyncTimeout, ct);

        stack.GitHub.RenameRepository(original.Id, "octo", "b");
        var newcomer = stack.GitHub.CreateRepository("octo", "a");
        var impostor = await SourceRepository.CreateAsync(newcomer.BareDirectory);
        await impostor.CommitAsync("main", "x.txt", "x", "another repository's history");
        await source.CommitAsync("main", "b.txt", "b", "after the rename");
        using var push = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "push", "push-1",
            GitHubWebhooks.Push(stack.GitHub.Repository(original.Id), "main"), ct);

        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
        await stack.WaitForHistoryAsync(original.Id, "mirror/completed", 2, SyncTimeout, ct);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.DoesNotContain(await stack.OneDevAllRefsAsync(mirror.ProjectPath!, ct), r => IsArchive(r.Key));
        Assert.Equal(0, stack.GitHub.UploadPackCount("octo/a"));
        Assert.Single(stack.OneDev.Projects);
        Assert.Equal("octo/b", await stack.FullNameAsync(original.Id, ct));
        Assert.Equal("octo/b", await AdminFullNameAsync(stack, original.Id, ct));
    }

    [Fact]
    public async Task TransferredRepositoryWhoseOldNameIsReused_KeepsMirroringItselfOnARefresh()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var original = stack.GitHub.CreateRepository("octo", "tool");
        var source = await SourceRepository.CreateAsync(original.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(original), ct)) { }
        var mirror = await stack.WaitForStateAsync(original.Id, "Completed", SyncTimeout, ct);

        stack.GitHub.RenameRepository(original.Id, "new-home", "tool");
        var newcomer = stack.GitHub.CreateRepository("octo", "tool");
        var impostor = await SourceRepository.CreateAsync(newcomer.BareDirectory);
        await impostor.CommitAsync("main", "x.txt", "x", "the old owner's new repository");
        await source.CommitAsync("main", "b.txt", "b", "after the transfer");
        // No webhook from the new owner: an operator's (or the interval's) sync knows only the recorded name.
        await AdminSyncAsync(stack, original.Id, ct);

        await stack.WaitForHistoryAsync(original.Id, "mirror/completed", 2, SyncTimeout, ct);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.DoesNotContain(await stack.OneDevAllRefsAsync(mirror.ProjectPath!, ct), r => IsArchive(r.Key));
        Assert.Equal(0, stack.GitHub.UploadPackCount("octo/tool"));
        Assert.Equal("new-home/tool", await AdminFullNameAsync(stack, original.Id, ct));
    }

    [Fact]
    public async Task DeletedAndRecreatedUnderTheSameName_KeepsTheOldMirrorAndGivesTheNewcomerItsOwnProject()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var original = stack.GitHub.CreateRepository("octo", "phoenix");
        var source = await SourceRepository.CreateAsync(original.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        var kept = await source.GetRefsAsync();
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(original), ct)) { }
        var oldMirror = await stack.WaitForStateAsync(original.Id, "Completed", SyncTimeout, ct);

        stack.GitHub.DeleteRepository(original.Id);
        var reborn = stack.GitHub.CreateRepository("octo", "phoenix");
        var rebornSource = await SourceRepository.CreateAsync(reborn.BareDirectory);
        await rebornSource.CommitAsync("main", "n.txt", "n", "a new repository under the old name");
        await AdminSyncAsync(stack, original.Id, ct);
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-2", GitHubWebhooks.WatchStarted(reborn), ct)) { }

        await stack.WaitForHistoryAsync(original.Id, "upstream/deleted", 1, SyncTimeout, ct);
        var newMirror = await stack.WaitForStateAsync(reborn.Id, "Completed", SyncTimeout, ct);
        var gone = await stack.WaitForStateAsync(original.Id, "Completed", SyncTimeout, ct);
        Assert.Equal(oldMirror.ProjectPath, gone.ProjectPath);
        Assert.Null(await stack.NextSyncAtAsync(original.Id, ct));
        Assert.Equal(kept.OrderBy(r => r.Key), (await stack.OneDevRefsAsync(oldMirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.DoesNotContain(await stack.OneDevAllRefsAsync(oldMirror.ProjectPath!, ct), r => IsArchive(r.Key));
        Assert.NotEqual(oldMirror.ProjectPath, newMirror.ProjectPath);
        Assert.StartsWith(oldMirror.ProjectPath + "-", newMirror.ProjectPath, StringComparison.Ordinal);
        Assert.Equal((await rebornSource.GetRefsAsync()).OrderBy(r => r.Key), (await stack.OneDevRefsAsync(newMirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.Equal(2, stack.OneDev.Projects.Count);
    }

    private static bool IsArchive(string name) => name.StartsWith("refs/starsync/", StringComparison.Ordinal);

    private static HttpClient Admin(StarSyncStack stack)
    {
        var http = new HttpClient { BaseAddress = stack.Ingress.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StarSyncStack.AdminToken);
        return http;
    }

    private static async Task AdminSyncAsync(StarSyncStack stack, long gitHubId, CancellationToken ct)
    {
        using var http = Admin(stack);
        using var sync = await http.PostAsync(new Uri($"admin/mirrors/{gitHubId}/sync", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
    }

    private static async Task<string?> AdminFullNameAsync(StarSyncStack stack, long gitHubId, CancellationToken ct)
    {
        using var http = Admin(stack);
        using var status = await http.GetAsync(new Uri($"admin/mirrors/{gitHubId}", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("fullName").GetString();
    }
}
