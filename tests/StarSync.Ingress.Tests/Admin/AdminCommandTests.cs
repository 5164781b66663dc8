using System.Diagnostics;
using System.Net;
using System.Text;

using MassTransit.Testing;

using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.Ingress.Admin;

namespace StarSync.Ingress.Tests.Admin;

/// <summary>The admin API's commands: published (and confirmed) before 202, validated before anything is published.</summary>
public sealed class AdminCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_PublishesRepositorySyncRequestedFromAdmin_Returns202WithMirrorId()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();
        var before = DateTimeOffset.UtcNow;

        using var response = await client.PostAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/sync", null, Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        Assert.Equal($"/admin/mirrors/{WebhookPayloads.RepositoryId}", response.Headers.Location?.OriginalString);
        var message = await SinglePublished<RepositorySyncRequested>(factory.Harness);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, message.MirrorId);
        Assert.Equal(WebhookPayloads.RepositoryId, message.GitHubId);
        Assert.Equal("admin", message.Source);
        Assert.Equal(body.GetProperty("deliveryId").GetString(), message.DeliveryId);
        Assert.InRange(message.RequestedAt, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SyncTwice_UsesANewDeliveryIdEachTime()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var first = await client.PostAsync($"/admin/mirrors/{FakeOrchestrator.FailedGitHubId}/sync", null, Ct);
        using var second = await client.PostAsync($"/admin/mirrors/{FakeOrchestrator.FailedGitHubId}/sync", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.True(await factory.Harness.Published.Any<RepositorySyncRequested>(Ct));
        var messages = factory.Harness.Published.Select<RepositorySyncRequested>(Ct).Select(p => p.Context.Message).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(MirrorIds.ForGitHubRepository(FakeOrchestrator.FailedGitHubId), m.MirrorId));
        Assert.Equal(2, messages.Select(m => m.DeliveryId).Distinct().Count());
        Assert.All(messages, m => Assert.False(string.IsNullOrEmpty(m.DeliveryId)));
    }

    [Theory]
    [InlineData("""{"seconds": 3600}""", 3600)]
    [InlineData("""{"seconds": 60}""", 60)]
    [InlineData("""{"seconds": null}""", null)]
    public async Task Interval_PublishesSetMirrorSyncInterval_Returns202(string json, int? expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/interval", Json(json), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        var message = await SinglePublished<SetMirrorSyncInterval>(factory.Harness);
        Assert.Equal(new SetMirrorSyncInterval(MirrorIdsTests.PinnedHelloWorldMirrorId, expected), message);
    }

    [Theory]
    [InlineData("""{"seconds": 59}""", "seconds is too small: the minimum is 60 seconds.")]
    [InlineData("""{"seconds": 0}""", "seconds is too small: the minimum is 60 seconds.")]
    [InlineData("""{"seconds": -3600}""", "seconds is too small: the minimum is 60 seconds.")]
    [InlineData("""{"seconds": "3600"}""", "seconds must be a whole number of seconds, or null for the default interval.")]
    [InlineData("""{"seconds": 3600.5}""", "seconds must be a whole number of seconds, or null for the default interval.")]
    [InlineData("""{"seconds": 99999999999}""", "seconds must be a whole number of seconds, or null for the default interval.")]
    [InlineData("""{"interval": 3600}""", """The body must be a JSON object such as {"seconds": 3600}, or {"seconds": null} for the default interval.""")]
    [InlineData("""[3600]""", """The body must be a JSON object such as {"seconds": 3600}, or {"seconds": null} for the default interval.""")]
    [InlineData("""seconds=3600""", """The body must be a JSON object such as {"seconds": 3600}, or {"seconds": null} for the default interval.""")]
    [InlineData("", """The body must be a JSON object such as {"seconds": 3600}, or {"seconds": null} for the default interval.""")]
    public async Task IntervalInvalid_Returns400_PublishesNothing(string json, string expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/interval", Json(json), Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Theory]
    [InlineData("""{"policy": "Allow"}""", BuildSpecPolicy.Allow)]
    [InlineData("""{"policy": "Isolated"}""", BuildSpecPolicy.Isolated)]
    [InlineData("""{"policy": "Refuse"}""", BuildSpecPolicy.Refuse)]
    [InlineData("""{"policy": null}""", null)]
    public async Task BuildSpecPolicy_PublishesSetMirrorBuildSpecPolicy_Returns202(string json, BuildSpecPolicy? expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/build-spec-policy", Json(json), Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        var message = await SinglePublished<SetMirrorBuildSpecPolicy>(factory.Harness);
        Assert.Equal(new SetMirrorBuildSpecPolicy(MirrorIdsTests.PinnedHelloWorldMirrorId, expected), message);
    }

    [Theory]
    [InlineData("""{"policy": "allow"}""", """policy must be "Refuse", "Isolated" or "Allow", or null for the configured default.""")]
    [InlineData("""{"policy": 2}""", """policy must be "Refuse", "Isolated" or "Allow", or null for the configured default.""")]
    [InlineData("""{"policy": "Sometimes"}""", """policy must be "Refuse", "Isolated" or "Allow", or null for the configured default.""")]
    [InlineData("""{"mode": "Allow"}""", """The body must be a JSON object such as {"policy": "Allow"}: "Refuse", "Isolated", "Allow", or null for the default.""")]
    [InlineData("", """The body must be a JSON object such as {"policy": "Allow"}: "Refuse", "Isolated", "Allow", or null for the default.""")]
    public async Task BuildSpecPolicyInvalid_Returns400_PublishesNothing(string json, string expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/build-spec-policy", Json(json), Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task IntervalBodyOverLimit_Returns413()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();
        var json = "{\"seconds\": 3600, \"padding\": \"" + new string('x', 5000) + "\"}";

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/interval", Json(json), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("POST", "/admin/mirrors/abc/sync")]
    [InlineData("POST", "/admin/mirrors/0/sync")]
    [InlineData("PUT", "/admin/mirrors/-1/interval")]
    public async Task CommandWithBadGitHubId_Returns400_PublishesNothing(string method, string path)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("""{"seconds": 3600}""") };

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal("githubId must be the GitHub repository id, a positive 64-bit integer.",
            await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.False(await factory.Harness.Published.Any(static _ => true, Ct));
    }

    [Fact]
    public async Task RetryFailed_PublishesRetryFailedMirrors_Returns202()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();
        var before = DateTimeOffset.UtcNow;

        using var response = await client.PostAsync("/admin/mirrors/retry-failed", null, Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.Accepted);
        var message = await SinglePublished<RetryFailedMirrors>(factory.Harness);
        Assert.InRange(message.RequestedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(message.RequestedAt, body.GetProperty("requestedAt").GetDateTimeOffset());
        Assert.False(await factory.Harness.Published.Any<RepositorySyncRequested>(Ct));
    }

    [Fact]
    public async Task PublishNeverConfirmed_Returns503WithinPublishTimeout()
    {
        await using var factory = new AdminFactory(("Ingress:PublishTimeout", "00:00:00.500"))
        {
            TestServices = services => services.AddScoped(_ => BrokenPublishEndpoint.Stuck()),
        };
        using var client = factory.CreateAdminClient();
        var clock = Stopwatch.StartNew();

        using var sync = await client.PostAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/sync", null, Ct);
        using var retry = await client.PostAsync("/admin/mirrors/retry-failed", null, Ct);

        clock.Stop();
        Assert.Equal("The message broker did not confirm the command, so it was not accepted. Try again later.",
            await HttpAssert.Problem(sync, HttpStatusCode.ServiceUnavailable));
        await HttpAssert.Problem(retry, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(sync.Headers.RetryAfter);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal(2, factory.Logs.From("StarSync.Ingress").Count(e => e.EventId.Id == 1221));
        Assert.DoesNotContain(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id is 1210 or 1212);
    }

    [Fact]
    public async Task PublishFails_Returns503()
    {
        await using var factory = new AdminFactory
        {
            TestServices = services => services.AddScoped(_ => BrokenPublishEndpoint.Failing(new InvalidOperationException("channel closed"))),
        };
        using var client = factory.CreateAdminClient();

        using var response = await client.PutAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/interval", Json("""{"seconds": 600}"""), Ct);

        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1222);
    }

    [Fact]
    public async Task BrokerUnreachable_SyncReturns503Quickly()
    {
        await using var factory = IngressFactory.WithoutHarness(
            ("ConnectionStrings:rabbitmq", $"amqp://guest:guest@127.0.0.1:{AdminMirrorQueryTests.ClosedPort()}/"),
            ("Ingress:AdminToken", AdminFactory.Token), ("Ingress:PublishTimeout", "00:00:02"));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminFactory.Token);
        var clock = Stopwatch.StartNew();

        using var response = await client.PostAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/sync", null, Ct);

        clock.Stop();
        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id is 1220 or 1221 or 1222);
    }

    [Fact]
    public async Task BackfillWithoutStarPolling_Returns503NotConfigured()
    {
        await using var factory = new AdminFactory();
        factory.Orchestrator.StarPolling = false;
        using var client = factory.CreateAdminClient();

        using var response = await client.PostAsync("/admin/stars/backfill", null, Ct);

        Assert.Equal("star polling is not configured", await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(TimeSpan.FromSeconds(AdminApi.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Single(factory.Orchestrator.Requests.OfType<BackfillStars>());
        // Why is logged (it names a setting), not answered.
        var logged = Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1214);
        Assert.Contains(FakeOrchestrator.StarPollingOffReason, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackfillWhileTheOrchestratorDoesNotAnswer_Returns503WithRetryAfter()
    {
        await using var factory = new AdminFactory(("Ingress:AdminRequestTimeout", "00:00:00.500")) { AnswerRequests = false };
        using var client = factory.CreateAdminClient();

        using var response = await client.PostAsync("/admin/stars/backfill", null, Ct);

        Assert.Equal("The Orchestrator did not answer in time. Try again later.",
            await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(TimeSpan.FromSeconds(AdminApi.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task BackfillWithStarPolling_RequestsIt_Returns202()
    {
        await using var factory = new AdminFactory();
        factory.Orchestrator.StarPolling = true;
        using var client = factory.CreateAdminClient();

        using var response = await client.PostAsync("/admin/stars/backfill", null, Ct);

        await HttpAssert.Json(response, HttpStatusCode.Accepted);
        Assert.Single(factory.Orchestrator.Requests.OfType<BackfillStars>());
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1213);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<T> SinglePublished<T>(ITestHarness harness)
        where T : class
    {
        Assert.True(await harness.Published.Any<T>(Ct));
        return Assert.Single(harness.Published.Select<T>(Ct)).Context.Message;
    }
}
