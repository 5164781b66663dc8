using System.Net;
using System.Text;

using MassTransit.Testing;

using StarSync.Contracts;

namespace StarSync.Ingress.Tests;

/// <summary>The real host with MassTransit's in-memory test harness in place of RabbitMQ; a fresh host per test.</summary>
public sealed class GitHubWebhookEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WatchStarted_PublishesRepositoryStarred_Returns202()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch());
        var before = DateTimeOffset.UtcNow;

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        var expectedId = MirrorIdsTests.PinnedHelloWorldMirrorId;
        Assert.Equal(expectedId, body.GetProperty("mirrorId").GetGuid());
        Assert.Equal("watch", body.GetProperty("event").GetString());
        Assert.Equal("started", body.GetProperty("action").GetString());
        var message = await SinglePublished<RepositoryStarred>(factory.Harness);
        Assert.Equal(expectedId, message.MirrorId);
        Assert.Equal("webhook", message.Source);
        Assert.Equal(request.Delivery, message.DeliveryId);
        Assert.InRange(message.StarredAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(new GitHubRepository(WebhookPayloads.RepositoryId, "Codertocat", "Hello-World", WebhookPayloads.FullName,
            "https://github.com/Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World", "master",
            Private: false, SizeKb: 1234, "My first repository"), message.Repository);
    }

    [Fact]
    public async Task StarCreated_PublishesRepositoryStarredWithStarredAt()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("star", WebhookPayloads.Star("created", "2019-05-15T15:20:40Z"));

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal("created", body.GetProperty("action").GetString());
        var message = await SinglePublished<RepositoryStarred>(factory.Harness);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, message.MirrorId);
        Assert.Equal(new DateTimeOffset(2019, 5, 15, 15, 20, 40, TimeSpan.Zero), message.StarredAt);
        Assert.Equal(request.Delivery, message.DeliveryId);
        Assert.Equal(WebhookPayloads.FullName, message.Repository.FullName);
        Assert.False(await factory.Harness.Published.Any<RepositoryUnstarred>(Ct));
    }

    [Fact]
    public async Task StarCreated_FormEncoded_PublishesRepositoryStarred()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Form("star", WebhookPayloads.Star("created", "2019-05-15T15:20:40Z"));

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Json(response, HttpStatusCode.Accepted);
        var message = await SinglePublished<RepositoryStarred>(factory.Harness);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, message.MirrorId);
        Assert.Equal("Codertocat", message.Repository.Owner);
    }

    [Fact]
    public async Task StarDeleted_PublishesRepositoryUnstarred()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("star", WebhookPayloads.Star("deleted", null));
        var before = DateTimeOffset.UtcNow;

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal("deleted", body.GetProperty("action").GetString());
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        var message = await SinglePublished<RepositoryUnstarred>(factory.Harness);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, message.MirrorId);
        Assert.Equal(WebhookPayloads.RepositoryId, message.GitHubId);
        Assert.Equal(WebhookPayloads.FullName, message.FullName);
        Assert.Equal("webhook", message.Source);
        Assert.Equal(request.Delivery, message.DeliveryId);
        Assert.InRange(message.UnstarredAt, before, DateTimeOffset.UtcNow);
        Assert.False(await factory.Harness.Published.Any<RepositoryStarred>(Ct));
    }

    [Fact]
    public async Task Redelivery_PublishesAgainWithSameMirrorIdAndDeliveryId()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch());

        using var first = await client.SendAsync(request.ToHttpRequest(), Ct);
        using var second = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var messages = factory.Harness.Published.Select<RepositoryStarred>(Ct).Select(m => m.Context.Message).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal((MirrorIdsTests.PinnedHelloWorldMirrorId, request.Delivery), (m.MirrorId, m.DeliveryId)));
    }

    [Fact]
    public async Task Ping_Returns200Pong_PublishesNothing()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Json("ping", WebhookPayloads.Ping()).ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal("pong", body.GetProperty("message").GetString());
        Assert.Equal("Keep it logically awesome.", body.GetProperty("zen").GetString());
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task Ping_FormEncoded_Returns200()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Form("ping", WebhookPayloads.Ping()).ToHttpRequest(), Ct);

        Assert.Equal("pong", (await HttpAssert.Json(response, HttpStatusCode.OK)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnhandledEvent_Returns202WithReason_PublishesNothing()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Json("issues", WebhookPayloads.Issues()).ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal("event 'issues' is not handled", body.GetProperty("reason").GetString());
        Assert.Equal("issues", body.GetProperty("event").GetString());
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Theory]
    [InlineData("star", "edited")]
    [InlineData("watch", "stopped")]
    [InlineData("watch", "created")]
    public async Task UnhandledAction_Returns202WithReason_PublishesNothing(string @event, string action)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var payload = WebhookPayloads.Star(action, null);

        using var response = await client.SendAsync(WebhookRequest.Json(@event, payload).ToHttpRequest(), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal($"action '{action}' of event '{@event}' is not handled", body.GetProperty("reason").GetString());
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=zz")]
    [InlineData("")]
    public async Task BadSignature_Returns401RevealingNothing(string? signature)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch()) with { Signatures = signature is null ? [] : [signature] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        var detail = await HttpAssert.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("The request must carry a valid X-Hub-Signature-256 signature.", detail);
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task SignatureOfOtherSecret_Returns401()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(WebhookPayloads.Watch().ToJsonString());
        var request = new WebhookRequest("watch", body) { Signatures = [GitHubSignature.Compute(body, "not-the-secret")] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.Unauthorized);
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task TamperedBody_Returns401()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var original = Encoding.UTF8.GetBytes(WebhookPayloads.Watch().ToJsonString());
        var tampered = Encoding.UTF8.GetBytes(WebhookPayloads.Watch().ToJsonString().Replace("Hello-World", "Hello-Worle", StringComparison.Ordinal));
        var request = new WebhookRequest("watch", tampered) { Signatures = [GitHubSignature.Compute(original, WebhookRequest.Secret)] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignatureSentTwice_Returns401()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(WebhookPayloads.Watch().ToJsonString());
        var valid = GitHubSignature.Compute(body, WebhookRequest.Secret);
        var request = new WebhookRequest("watch", body) { Signatures = [valid, valid] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task UnsupportedContentType_Returns415(string? contentType)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch()) with { ContentType = contentType };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task JsonWithUtf8Charset_IsAccepted()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch()) with { ContentType = "application/json; charset=utf-8" };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("X-GitHub-Event", new string[0], "the X-GitHub-Event header is missing or empty")]
    [InlineData("X-GitHub-Event", new[] { " " }, "the X-GitHub-Event header is missing or empty")]
    [InlineData("X-GitHub-Event", new[] { "watch", "watch" }, "the X-GitHub-Event header must be sent exactly once")]
    [InlineData("X-GitHub-Delivery", new string[0], "the X-GitHub-Delivery header is missing or empty")]
    [InlineData("X-GitHub-Delivery", new[] { "" }, "the X-GitHub-Delivery header is missing or empty")]
    [InlineData("X-GitHub-Delivery", new[] { "a", "b" }, "the X-GitHub-Delivery header must be sent exactly once")]
    public async Task BadDeliveryHeader_Returns400(string header, string[] values, string expected)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch());
        request = header == "X-GitHub-Event" ? request with { EventHeaders = values } : request with { DeliveryHeaders = values };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task ContentLengthOverLimit_Returns413BeforeReadingOrCheckingSignature()
    {
        await using var factory = IngressFactory.WithHarness(("Ingress:MaxPayloadBytes", "1024"));
        using var client = factory.CreateClient();
        var request = new WebhookRequest("watch", new byte[1025]) { Signatures = [] };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal("The body must not exceed 1024 bytes.", await HttpAssert.Problem(response, HttpStatusCode.RequestEntityTooLarge));
    }

    [Fact]
    public async Task BodyWithoutLengthOverLimit_Returns413()
    {
        await using var factory = IngressFactory.WithHarness(("Ingress:MaxPayloadBytes", "1024"));
        using var client = factory.CreateClient();
        var request = new WebhookRequest("watch", new byte[64 * 1024]) { UnknownLength = true };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task BodyWithoutLengthAtLimit_IsRead()
    {
        var payload = Encoding.UTF8.GetBytes(WebhookPayloads.Watch().ToJsonString());
        await using var factory = IngressFactory.WithHarness(("Ingress:MaxPayloadBytes", payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = factory.CreateClient();
        var request = new WebhookRequest("watch", payload) { UnknownLength = true };

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("repository.id", null, "repository.id is missing")]
    [InlineData("repository.owner.login", "5", "repository.owner.login must be a string")]
    [InlineData("repository.id", "123456789012345678901234567890", "repository.id must be a positive 64-bit integer")]
    [InlineData("action", null, "action is missing")]
    public async Task MissingOrIllTypedField_Returns400WithDetail(string path, string? json, string expected)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var payload = WebhookPayloads.Star("created", "2019-05-15T15:20:40Z");
        GitHubWebhookPayloadTests.Set(payload, path, json);

        using var response = await client.SendAsync(WebhookRequest.Json("star", payload).ToHttpRequest(), Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    public static TheoryData<string, byte[], string> MalformedBodies => new()
    {
        { "watch", "{\"action\": \"started\", "u8.ToArray(), "the body is not valid JSON" },
        { "watch", "not json at all"u8.ToArray(), "the body is not valid JSON" },
        { "watch", [], "the body is not valid JSON" },
        { "ping", "[1, 2, 3]"u8.ToArray(), "the body must be a JSON object" },
        { "issues", Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}"), "the body is not valid JSON" },
        { "star", [.. "{\"action\": \"created\", \"x\": \""u8, 0xFF, 0xFE, .. "\"}"u8], "the body is not valid UTF-8" },
        { "star", "{\"action\": \"created\", \"repository\": {\"id\": 1e999999}}"u8.ToArray(), "repository.id must be a positive 64-bit integer" },
        { "star", "{\"action\": \"created\", \"repository\": null}"u8.ToArray(), "repository must be an object" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBody_Returns400WithHelpfulDetail(string @event, byte[] body, string expectedStart)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(new WebhookRequest(@event, body).ToHttpRequest(), Ct);

        Assert.StartsWith(expectedStart, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task FormWithoutPayloadField_Returns400()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        var request = new WebhookRequest("watch", "zen=hello"u8.ToArray(), "application/x-www-form-urlencoded");

        using var response = await client.SendAsync(request.ToHttpRequest(), Ct);

        Assert.Equal("form field 'payload' is missing", await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task DefaultEndpoints_StillAnswer()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();

        using var alive = await client.GetAsync("/alive", Ct);
        using var webhookGet = await client.GetAsync("/webhooks/github", Ct);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, webhookGet.StatusCode);
    }

    private static async Task<T> SinglePublished<T>(ITestHarness harness)
        where T : class
    {
        Assert.True(await harness.Published.Any<T>(Ct));
        return Assert.Single(harness.Published.Select<T>(Ct)).Context.Message;
    }
}
