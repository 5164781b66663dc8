using System.Net;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>Refreshing Completed mirrors through the three processes: push webhooks, force-pushes, renames, unstars.</summary>
[Trait("Category", "Integration")]
public sealed class KeepCurrentEndToEndTests(TestServers servers)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PushWebhook_WithNewCommitsAndAForcePush_UpdatesOneDevAndArchivesTheOldTip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "moving");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        var oldFeature = await source.CommitAsync("feature", "f.txt", "f1", "feature work");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);

        await source.CommitAsync("main", "b.txt", "b", "second");
        await source.RewriteBranchAsync("feature", "rewritten");
        using var push = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "push", "push-1", GitHubWebhooks.Push(repository, "feature"), ct);

        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
        await stack.WaitForHistoryAsync(repository.Id, "mirror/completed", 2, SyncTimeout, ct);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        var archived = (await stack.OneDevAllRefsAsync(mirror.ProjectPath!, ct))
            .Where(r => r.Key.StartsWith("refs/starsync/archive/heads/feature/", StringComparison.Ordinal)).ToList();
        Assert.Equal(oldFeature, Assert.Single(archived).Value);
        Assert.Contains("history/archived", await stack.HistoryAsync(repository.Id, ct));
    }

    [Fact]
    public async Task PushWebhook_WithNothingNew_TransfersNoPackAndPushesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "still");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);
        var pushes = stack.OneDev.ReceivePackCount(mirror.ProjectPath!);
        var fetches = stack.GitHub.UploadPackCount(repository.FullName);

        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "push", "push-1", GitHubWebhooks.Push(repository, "main"), ct)) { }

        await stack.WaitForHistoryAsync(repository.Id, "mirror/unchanged", 1, SyncTimeout, ct);
        Assert.Equal(pushes, stack.OneDev.ReceivePackCount(mirror.ProjectPath!));
        Assert.Equal(fetches, stack.GitHub.UploadPackCount(repository.FullName));
    }

    [Fact]
    public async Task RenamedRepository_KeepsItsSagaAndItsOneProject()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "old-name");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }
        var before = await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);

        stack.GitHub.RenameRepository(repository.Id, "new-owner", "new-name");
        await source.CommitAsync("main", "b.txt", "b", "after the rename");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-2", GitHubWebhooks.WatchStarted(repository), ct)) { }
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "push", "push-1", GitHubWebhooks.Push(repository, "main"), ct)) { }

        await stack.WaitForHistoryAsync(repository.Id, "mirror/completed", 2, SyncTimeout, ct);
        var after = await stack.FindMirrorAsync(repository.Id, ct);
        Assert.Equal(1, after!.TotalMirrors);
        Assert.Equal(before.ProjectPath, after.ProjectPath);
        Assert.Single(stack.OneDev.Projects);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(after.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.Equal("new-owner/new-name", await stack.FullNameAsync(repository.Id, ct));
    }

    [Fact]
    public async Task UnstarWebhook_UnderTheArchivePolicy_NotesTheProjectAndStopsRefreshing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestratorSettings: new Dictionary<string, string?>
        {
            ["Mirroring__UnstarPolicy"] = "Archive",
        }, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "unloved");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "star-1", GitHubWebhooks.WatchStarted(repository), ct)) { }
        await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);

        using var unstar = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "star", "unstar-1", GitHubWebhooks.StarDeleted(repository), ct);

        Assert.Equal(HttpStatusCode.Accepted, unstar.StatusCode);
        await stack.WaitForHistoryAsync(repository.Id, "unstar/archived", 1, SyncTimeout, ct);
        var project = Assert.Single(stack.OneDev.Projects);
        Assert.StartsWith("Archived by StarSync", project.Description);
        Assert.Contains("managed by StarSync (github-id " + repository.Id + ")", project.Description);
        Assert.Null(await stack.NextSyncAtAsync(repository.Id, ct));
    }
}
