using System.Net;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
public sealed class MirrorEndToEndTests(TestServers servers)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SignedWatchWebhook_ForRepositoryWithBranchesAndTags_MirrorsExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo-org", "hello-world");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        var first = await source.CommitAsync("main", "README.md", "hello", "initial");
        await source.CommitAsync("develop", "src/app.txt", "develop work", "develop");
        await source.CommitAsync("feature/login", "login.txt", "login", "feature");
        await source.CreateTagAsync("v1.0", first, annotated: true);
        await source.CreateTagAsync("v1.1", "develop");
        stack.GitHub.CreatePullRequestRef(repository.Id, 7, first);
        var body = GitHubWebhooks.WatchStarted(repository);

        using var accepted = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "delivery-1", body, ct);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);
        Assert.Equal("octo-org-hello-world", mirror.ProjectPath);
        var expected = await source.GetRefsAsync();
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.OrderBy(r => r.Key), (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        var pushes = stack.OneDev.ReceivePackCount(mirror.ProjectPath!);
        var fetches = stack.GitHub.UploadPackCount(repository.FullName);
        Assert.True(pushes >= 1, "the first sync pushed");

        // GitHub's redelivery reuses the delivery id; a second star is a new delivery for a mirror that is current.
        using var redelivered = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "delivery-1", body, ct);
        using var starredAgain = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "star", "delivery-2",
            GitHubWebhooks.StarCreated(repository), ct);

        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, starredAgain.StatusCode);
        await Eventually.UntilAsync(async () => (await stack.HistoryAsync(repository.Id, ct)).Contains("star/ignored"),
            SyncTimeout, "the second star is recorded as already mirrored", ct);
        Assert.Equal(["star/accepted", "project/created", "mirror/completed", "star/ignored"], await stack.HistoryAsync(repository.Id, ct));
        var after = await stack.FindMirrorAsync(repository.Id, ct);
        Assert.Equal("Completed", after!.State);
        Assert.Equal(1, after.Attempt);
        Assert.Equal(1, after.TotalMirrors);
        Assert.Equal(pushes, stack.OneDev.ReceivePackCount(mirror.ProjectPath!));
        Assert.Equal(fetches, stack.GitHub.UploadPackCount(repository.FullName));
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
        Assert.Single(stack.OneDev.Projects);
    }

    [Fact]
    public async Task WebhookWithTheLongestDeliveryIdIngressAccepts_IsMirrored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "long-delivery");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        var delivery = new string('d', 120) + "-128";

        using var accepted = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", delivery, GitHubWebhooks.WatchStarted(repository), ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await stack.WaitForStateAsync(repository.Id, "Completed", SyncTimeout, ct);

        // Accepted means mirrored: nothing waits in an _error queue.
        var queues = await servers.RabbitMq.ListQueuesAsync(stack.VirtualHost, ct);
        Assert.All(queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)), q => Assert.Equal(0, q.Messages));
        Assert.Equal(["star/accepted", "project/created", "mirror/completed"], await stack.HistoryAsync(repository.Id, ct));
    }
}
