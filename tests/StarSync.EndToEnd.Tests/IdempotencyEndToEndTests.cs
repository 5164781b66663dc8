using System.Net;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
public sealed class IdempotencyEndToEndTests(TestServers servers)
{
    private const int SameDelivery = 50;
    private const int DistinctDeliveries = 50;

    [Fact]
    public async Task HundredConcurrentStarsOfOneRepository_WithTwoOrchestratorsAndTwoWorkers_GiveOneSagaOneProjectOnePush()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestrators: 2, gitWorkers: 2, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "stampede");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        var first = await source.CommitAsync("main", "a.txt", "a", "first");
        await source.CommitAsync("release", "b.txt", "b", "second");
        await source.CreateTagAsync("v1", first, annotated: true);
        var watch = GitHubWebhooks.WatchStarted(repository);
        var star = GitHubWebhooks.StarCreated(repository);

        // 50 redeliveries of one delivery and 50 different deliveries of the same star, all in flight at once.
        var deliveries = Enumerable.Range(0, SameDelivery).Select(_ => ("watch", "the-same-delivery", watch))
            .Concat(Enumerable.Range(0, DistinctDeliveries).Select(i => ("star", $"distinct-delivery-{i}", star)));
        var answers = await Task.WhenAll(deliveries.Select(async d =>
        {
            using var response = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, d.Item1, d.Item2, d.Item3, ct);
            return response.StatusCode;
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a));
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(120), ct);
        // Every one of the 100 messages has been consumed before the counts are taken, so late duplicates are
        // counted too: a sentinel star published after all of them (queues are FIFO) is seen by the saga, and the
        // queues are empty (nothing ready or still being processed).
        var ignoredBefore = (await stack.HistoryAsync(repository.Id, ct)).Count(h => h == "star/ignored");
        using (var sentinel = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "star", "sentinel-delivery", star, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, sentinel.StatusCode);
        }
        await stack.WaitForHistoryAsync(repository.Id, "star/ignored", ignoredBefore + 1, TimeSpan.FromSeconds(60), ct);
        await Eventually.UntilAsync(async () =>
        {
            var queues = await servers.RabbitMq.ListQueuesAsync(stack.VirtualHost, ct);
            return queues.Where(q => !q.Name.EndsWith("_error", StringComparison.Ordinal)).All(q => q.Messages is 0 or null);
        }, TimeSpan.FromSeconds(60), "every queue is drained", ct);
        var after = await stack.FindMirrorAsync(repository.Id, ct);

        Assert.Equal("Completed", after!.State);
        Assert.Equal(1, after.TotalMirrors);
        Assert.Equal(1, after.Attempt);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
        Assert.Single(stack.OneDev.Projects);
        Assert.Equal(1, stack.OneDev.ReceivePackCount(mirror.ProjectPath!));
        Assert.Equal(1, stack.GitHub.UploadPackCount(repository.FullName));
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.Equal(1, history.Count(h => h == "project/created"));
        Assert.Equal(1, history.Count(h => h == "mirror/completed"));
        var errors = (await servers.RabbitMq.ListQueuesAsync(stack.VirtualHost, ct))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) && q.Messages > 0).ToList();
        Assert.True(errors.Count == 0, "messages in error queues: " + string.Join(", ", errors));
    }
}
