using System.Net;
using System.Text.Json.Nodes;

using MassTransit.Testing;

using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;

namespace StarSync.Ingress.Tests.Admin;

/// <summary><c>push</c> deliveries: every push (a branch deletion too) asks the repository's mirror to sync.</summary>
public sealed class PushWebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A <c>push</c> payload as GitHub documents it (the fields StarSync reads, and a few it ignores).</summary>
    internal static JsonObject Push(bool deleted = false) => new()
    {
        ["ref"] = "refs/heads/main",
        ["before"] = "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        ["after"] = deleted ? "0000000000000000000000000000000000000000" : "0000000000000000000000000000000000000001",
        ["created"] = false,
        ["deleted"] = deleted,
        ["forced"] = false,
        ["commits"] = new JsonArray(),
        ["repository"] = WebhookPayloads.Repository(),
        ["pusher"] = new JsonObject { ["name"] = "Codertocat", ["email"] = "21031067+Codertocat@users.noreply.github.com" },
        ["sender"] = WebhookPayloads.Sender(),
    };

    [Theory]
    [InlineData(false, "pushed")]
    [InlineData(true, "deleted")]
    public async Task Push_PublishesRepositorySyncRequestedFromPush_Returns202(bool deleted, string action)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("push", Push(deleted));
        var before = DateTimeOffset.UtcNow;

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        Assert.Equal("push", body.GetProperty("event").GetString());
        Assert.Equal(action, body.GetProperty("action").GetString());
        var message = await SinglePublished<RepositorySyncRequested>(factory.Harness);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, message.MirrorId);
        Assert.Equal(WebhookPayloads.RepositoryId, message.GitHubId);
        Assert.Equal("push", message.Source);
        Assert.Equal(request.Delivery, message.DeliveryId);
        Assert.InRange(message.RequestedAt, before, DateTimeOffset.UtcNow);
        // The payload's description of the repository travels along, so the saga's names follow renames.
        Assert.Equal(WebhookPayloads.RepositoryId, message.Repository!.Id);
        Assert.Equal(WebhookPayloads.FullName, message.Repository.FullName);
        Assert.Equal("https://github.com/Codertocat/Hello-World.git", message.Repository.CloneUrl);
        var accepted = Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1001);
        Assert.Contains($"push/{action}", accepted.Message);
        Assert.Contains(WebhookPayloads.FullName, accepted.Message);
    }

    [Fact]
    public async Task Push_FormEncodedWithOnlyRepositoryId_Returns202()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var payload = new JsonObject { ["ref"] = "refs/tags/v1", ["repository"] = new JsonObject { ["id"] = 1296269 } };

        using var response = await client.SendAsync(WebhookRequest.Form("push", payload).ToHttpRequest(), Ct);

        await HttpAssert.Json(response, HttpStatusCode.Accepted);
        var message = await SinglePublished<RepositorySyncRequested>(factory.Harness);
        Assert.Equal(MirrorIds.ForGitHubRepository(1296269), message.MirrorId);
        Assert.Equal(1296269, message.GitHubId);
        Assert.Null(message.Repository);
    }

    [Theory]
    [InlineData("repository", null, "repository is missing")]
    [InlineData("repository", "[]", "repository must be an object")]
    [InlineData("repository.id", null, "repository.id is missing")]
    [InlineData("repository.id", "\"186853002\"", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "0", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.full_name", "7", "repository.full_name must be a string")]
    [InlineData("deleted", "\"yes\"", "deleted must be true or false")]
    [InlineData("repository.clone_url", "\"ftp://example.com/x.git\"", "repository.clone_url must be an absolute http(s) URL")]
    [InlineData("repository.owner", null, "repository.owner is missing")]
    public async Task PushWithBrokenField_Returns400NamingIt_PublishesNothing(string path, string? json, string expected)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var payload = Push();
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? payload : payload[parts[0]]!.AsObject();
        if (json is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(json);
        }

        using var response = await client.SendAsync(WebhookRequest.Json("push", payload).ToHttpRequest(), Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task PushWithoutValidSignature_Returns401_PublishesNothing()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("push", Push()) with { Signatures = [] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.Unauthorized);
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task PushNeverConfirmed_Returns503()
    {
        await using var factory = IngressFactory.WithHarness(
            services => services.AddScoped(_ => BrokenPublishEndpoint.Stuck()), ("Ingress:PublishTimeout", "00:00:00.500"));
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Json("push", Push()).ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1021);
    }

    private static async Task<T> SinglePublished<T>(ITestHarness harness)
        where T : class
    {
        Assert.True(await harness.Published.Any<T>(Ct));
        return Assert.Single(harness.Published.Select<T>(Ct)).Context.Message;
    }
}
