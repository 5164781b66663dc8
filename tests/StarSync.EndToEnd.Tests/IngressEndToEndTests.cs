using System.Net;
using StarSync.Emulators;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

[Trait("Category", "Integration")]
public sealed class IngressEndToEndTests(TestServers servers)
{
    [Fact]
    public async Task ValidWebhook_BeforeAnyOrchestratorBoundItsQueue_Returns503InsteadOfDroppingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync("ingress-alone", ct);
        await using var gitHub = await GitHubEmulator.StartAsync(ct);
        var repository = gitHub.CreateRepository("octo", "early");
        await using var ingress = ServiceProcess.Start("StarSync.Ingress", new Dictionary<string, string?>
        {
            ["ConnectionStrings__rabbitmq"] = rabbit,
            ["Ingress__WebhookSecret"] = StarSyncStack.WebhookSecret,
        });
        await ingress.WaitForHealthyAsync(TimeSpan.FromSeconds(60), ct);

        using var response = await GitHubWebhooks.SendAsync(ingress.BaseUrl, "watch", "early-delivery",
            GitHubWebhooks.WatchStarted(repository), ct);

        // No queue is bound to the RepositoryStarred exchange yet: RabbitMQ returns the mandatory message.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}
