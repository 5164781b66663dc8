using System.Net;
using System.Text;

using Microsoft.Extensions.Logging;

namespace StarSync.Ingress.Tests;

public sealed class IngressLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AcceptedDelivery_IsLoggedWithEventActionDeliveryAndRepository()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("star", WebhookPayloads.Star("created", "2019-05-15T15:20:40Z"));

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1001);
        Assert.Equal(LogLevel.Information, accepted.Level);
        Assert.Contains(request.Delivery!, accepted.Message);
        Assert.Contains("star/created", accepted.Message);
        Assert.Contains(WebhookPayloads.FullName, accepted.Message);
    }

    [Fact]
    public async Task AnyDelivery_NeverLogsSecretSignatureOrPayload()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var payload = WebhookPayloads.Star("created", "2019-05-15T15:20:40Z");
        payload["repository"]!["description"] = "payload-marker-description";
        var valid = WebhookRequest.Json("star", payload);
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var wrongSignature = GitHubSignature.Compute(body, "another-secret");
        var requests = new[]
        {
            valid,
            valid with { Signatures = [wrongSignature] },
            valid with { Signatures = ["sha256=nothex"] },
            valid with { ContentType = "text/plain" },
            WebhookRequest.Json("star", "{\"action\": \"created\", \"repository\": {\"id\": \"payload-marker-id\"}}"),
            WebhookRequest.Json("star", "{\"action\": payload-marker-json}"),
        };

        foreach (var request in requests)
        {
            using var response = await client.SendAsync(request.ToHttpRequest(), Ct);
        }

        var all = string.Join("\n", factory.Logs.Entries.Select(e => e.Message + " " + e.Exception));
        Assert.Contains(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1010);
        Assert.Contains(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1014);
        Assert.DoesNotContain(WebhookRequest.Secret, all);
        Assert.DoesNotContain(GitHubSignature.Compute(body, WebhookRequest.Secret)["sha256=".Length..], all);
        Assert.DoesNotContain(wrongSignature["sha256=".Length..], all);
        Assert.DoesNotContain("nothex", all);
        Assert.DoesNotContain("payload-marker", all);
    }
}
