using System.Net;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
public sealed class TwoOrchestratorsEndToEndTests(TestServers servers)
{
    [Fact]
    public async Task DuplicateFirstEvents_WithTwoOrchestratorsAndTwoWorkers_GiveOneSagaOneProjectOnePush()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, orchestrators: 2, gitWorkers: 2, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo", "raced");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        await source.CommitAsync("release", "b.txt", "b", "second");
        var body = GitHubWebhooks.WatchStarted(repository);

        // The same delivery several times and several different deliveries, all at once: both Orchestrators see
        // first events for a saga that does not exist yet.
        var deliveries = Enumerable.Range(0, 10).Select(_ => "same-delivery")
            .Concat(Enumerable.Range(0, 10).Select(i => $"other-delivery-{i}"));
        var answers = await Task.WhenAll(deliveries.Select(async d =>
        {
            using var response = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", d, body, ct);
            return response.StatusCode;
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a));
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(90), ct);
        await Eventually.UntilAsync(async () => (await stack.FindMirrorAsync(repository.Id, ct))!.RecentDeliveries.Length == 11,
            TimeSpan.FromSeconds(60), "every distinct delivery reached the saga", ct);
        Assert.Equal(1, mirror.TotalMirrors);
        Assert.Equal(1, mirror.Attempt);
        Assert.Equal(1, stack.OneDev.CreateProjectCalls);
        Assert.Single(stack.OneDev.Projects);
        Assert.Equal(1, stack.OneDev.ReceivePackCount(mirror.ProjectPath!));
        Assert.Equal(1, stack.GitHub.UploadPackCount(repository.FullName));
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        Assert.Equal(1, (await stack.HistoryAsync(repository.Id, ct)).Count(h => h == "mirror/completed"));
    }
}
