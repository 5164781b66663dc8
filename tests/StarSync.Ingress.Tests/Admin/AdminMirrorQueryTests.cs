using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

using Microsoft.Extensions.Logging;

using StarSync.Contracts;
using StarSync.Ingress.Admin;

namespace StarSync.Ingress.Tests.Admin;

/// <summary><c>GET /admin/mirrors</c> and <c>GET /admin/mirrors/{githubId}</c>, answered over the bus by a fake Orchestrator.</summary>
public sealed class AdminMirrorQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListWithoutParameters_AsksForFirstPageOf50_ReturnsMirrorList()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync("/admin/mirrors", Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("total").GetInt32());
        var mirrors = body.GetProperty("mirrors").EnumerateArray().ToList();
        Assert.Equal([WebhookPayloads.FullName, FakeOrchestrator.FailedFullName], mirrors.Select(m => m.GetProperty("fullName").GetString()));
        var first = mirrors[0];
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, first.GetProperty("mirrorId").GetGuid());
        Assert.Equal(WebhookPayloads.RepositoryId, first.GetProperty("gitHubId").GetInt64());
        Assert.Equal("Completed", first.GetProperty("state").GetString());
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), first.GetProperty("lastSyncedAt").GetDateTimeOffset());
        Assert.Equal(new ListMirrors(null, 0, AdminApi.DefaultLimit), Assert.Single(factory.Orchestrator.Requests));
    }

    [Theory]
    [InlineData("Failed", "Failed")]
    [InlineData("failed", "Failed")]
    [InlineData("PROJECTCREATED", "ProjectCreated")]
    public async Task ListByState_PassesCanonicalStateAndPaging(string state, string expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync($"/admin/mirrors?state={state}&offset=0&limit=200", Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal(new ListMirrors(expected, 0, 200), Assert.Single(factory.Orchestrator.Requests));
        Assert.All(body.GetProperty("mirrors").EnumerateArray(), m => Assert.Equal(expected, m.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ListFailed_ShowsLastError()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync("/admin/mirrors?state=Failed&offset=0&limit=1", Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        var mirror = Assert.Single(body.GetProperty("mirrors").EnumerateArray().ToList());
        Assert.Equal(FakeOrchestrator.FailedGitHubId, mirror.GetProperty("gitHubId").GetInt64());
        Assert.Contains(FakeOrchestrator.DataMarker, mirror.GetProperty("lastError").GetString());
    }

    [Theory]
    [InlineData("state=Retired", "state must be one of Pending, ProjectCreated, Mirroring, Completed, Failed.")]
    [InlineData("state=Failed&state=Pending", "state must be one of Pending, ProjectCreated, Mirroring, Completed, Failed.")]
    [InlineData("offset=-1", "offset must be an integer of at least 0.")]
    [InlineData("offset=first", "offset must be an integer of at least 0.")]
    [InlineData("limit=0", "limit must be an integer from 1 to 200.")]
    [InlineData("limit=201", "limit must be an integer from 1 to 200.")]
    [InlineData("limit=1.5", "limit must be an integer from 1 to 200.")]
    [InlineData("limit=99999999999", "limit must be an integer from 1 to 200.")]
    public async Task ListWithBadParameter_Returns400NamingIt_AsksNothing(string query, string expected)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync("/admin/mirrors?" + query, Ct);

        Assert.Equal(expected, await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(factory.Orchestrator.Requests);
    }

    [Fact]
    public async Task Status_WithoutJaegerUrl_TraceIdsWithoutLinks()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}", Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal(FakeOrchestrator.TraceIdOf(0), body.GetProperty("traceId").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("traceUrl").ValueKind);
        var last = body.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(FakeOrchestrator.TraceIdOf(60), last.GetProperty("traceId").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("traceUrl").ValueKind);
    }

    [Fact]
    public async Task StatusAndList_WithJaegerUrl_LinkTheMirrorAndEachHistoryLineToItsTrace()
    {
        await using var factory = new AdminFactory(("Ingress:JaegerUrl", "https://jaeger.example.com/ui/"));
        using var client = factory.CreateAdminClient();

        using var status = await client.GetAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}", Ct);
        using var list = await client.GetAsync("/admin/mirrors", Ct);

        var body = await HttpAssert.Json(status, HttpStatusCode.OK);
        Assert.Equal($"https://jaeger.example.com/ui/trace/{FakeOrchestrator.TraceIdOf(0)}", body.GetProperty("traceUrl").GetString());
        var last = body.GetProperty("history").EnumerateArray().Last();
        Assert.Equal($"https://jaeger.example.com/ui/trace/{FakeOrchestrator.TraceIdOf(60)}", last.GetProperty("traceUrl").GetString());
        var mirrors = (await HttpAssert.Json(list, HttpStatusCode.OK)).GetProperty("mirrors").EnumerateArray().ToList();
        Assert.NotEmpty(mirrors);
        Assert.All(mirrors, m => Assert.Equal($"https://jaeger.example.com/ui/trace/{FakeOrchestrator.TraceIdOf(0)}", m.GetProperty("traceUrl").GetString()));
    }

    [Fact]
    public async Task Status_AsksWithHistoryLimit50_ReturnsMirrorStatusWithLast50Lines()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}", Ct);

        var body = await HttpAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal(new GetMirrorStatus(WebhookPayloads.RepositoryId, 50), Assert.Single(factory.Orchestrator.Requests));
        Assert.Equal(MirrorIdsTests.PinnedHelloWorldMirrorId, body.GetProperty("mirrorId").GetGuid());
        Assert.Equal(WebhookPayloads.FullName, body.GetProperty("fullName").GetString());
        var history = body.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(50, history.Count);
        Assert.Equal("line 60", history[^1].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task StatusOfUnknownRepository_Returns404Problem()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync("/admin/mirrors/77", Ct);

        Assert.Equal("StarSync has no mirror of GitHub repository 77.", await HttpAssert.Problem(response, HttpStatusCode.NotFound));
        Assert.Equal(new GetMirrorStatus(77, 50), Assert.Single(factory.Orchestrator.Requests));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    public async Task StatusWithBadGitHubId_Returns400(string githubId)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync($"/admin/mirrors/{githubId}", Ct);

        Assert.Equal("githubId must be the GitHub repository id, a positive 64-bit integer.",
            await HttpAssert.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(factory.Orchestrator.Requests);
    }

    [Theory]
    [InlineData("/admin/mirrors")]
    [InlineData("/admin/mirrors/186853002")]
    public async Task OrchestratorDoesNotAnswer_Returns503WithinRequestTimeout(string path)
    {
        await using var factory = new AdminFactory(("Ingress:AdminRequestTimeout", "00:00:00.500")) { AnswerRequests = false };
        using var client = factory.CreateAdminClient();
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync(path, Ct);

        clock.Stop();
        Assert.Equal("The Orchestrator did not answer in time. Try again later.",
            await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(TimeSpan.FromSeconds(AdminApi.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(4));
        var logged = Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1230);
        Assert.Equal(LogLevel.Warning, logged.Level);
    }

    [Fact]
    public async Task BrokerUnreachable_ListReturns503Quickly()
    {
        await using var factory = IngressFactory.WithoutHarness(
            ("ConnectionStrings:rabbitmq", $"amqp://guest:guest@127.0.0.1:{ClosedPort()}/"),
            ("Ingress:AdminToken", AdminFactory.Token), ("Ingress:AdminRequestTimeout", "00:00:02"));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminFactory.Token);
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync("/admin/mirrors", Ct);

        clock.Stop();
        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id is 1220 or 1230 or 1231);
    }

    internal static int ClosedPort()
    {
        // A port the OS just handed out and that nothing listens on any more.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
