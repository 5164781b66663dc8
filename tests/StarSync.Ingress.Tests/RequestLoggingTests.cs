using StarSync.Testing;
using System.Net;

using Microsoft.Extensions.Logging;

namespace StarSync.Ingress.Tests;

/// <summary>
/// What the HTTP pipeline itself logs per request: one line (ServiceDefaults' request log), none for health probes,
/// never a query string or a header. The endpoints' own lines (Ingress, EventIds 1xxx) are not the pipeline's.
/// </summary>
public sealed class RequestLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebhookRequest_WritesOneInfoLineFromThePipeline()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        using var completion = new ServerRequestCompletion();
        using var request = WebhookRequest.Json("star", WebhookPayloads.Star("created", "2019-05-15T15:20:40Z")).ToHttpRequest();
        var done = completion.Track(request);
        var before = factory.Logs.Entries.Count;

        using var response = await client.SendAsync(request, Ct);
        await done.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var line = Assert.Single(PipelineLines(factory, before));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.StartsWith("HTTP POST /webhooks/github answered 202 in ", line.Message, StringComparison.Ordinal);
        // The endpoint's own line is still there.
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1001);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/health?verbose=1")]
    public async Task HealthProbe_WritesNoLine(string path)
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        using var completion = new ServerRequestCompletion();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var done = completion.Track(request);
        var before = factory.Logs.Entries.Count;

        using var response = await client.SendAsync(request, Ct);
        await done.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = factory.Logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.True(lines.Count == 0, "a health probe was logged:\n" + string.Join("\n", lines.Select(l => $"{l.Category}: {l.Message}")));
    }

    [Fact]
    public async Task QueryStringAndHeaders_AreNeverLogged()
    {
        await using var factory = IngressFactory.WithHarness(("Ingress:AdminToken", "the-admin-token-0123456789"));
        using var client = factory.CreateClient();
        using var completion = new ServerRequestCompletion();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/mirrors/1?access_token=query-marker-secret");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer header-marker-secret");
        request.Headers.TryAddWithoutValidation("Cookie", "session=cookie-marker-secret");
        var done = completion.Track(request);
        var before = factory.Logs.Entries.Count;

        using var response = await client.SendAsync(request, Ct);
        await done.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(PipelineLines(factory, before));
        Assert.StartsWith("HTTP GET /admin/mirrors/1 answered 401 in ", line.Message, StringComparison.Ordinal);
        var all = string.Join("\n", factory.Logs.Entries.Select(e => e.Message + " " + e.Exception));
        Assert.DoesNotContain("marker-secret", all, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlCharactersInThePath_AreWrittenEscapedOnOneLine()
    {
        await using var factory = IngressFactory.WithHarness();
        using var client = factory.CreateClient();
        using var completion = new ServerRequestCompletion();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no%0Asuch%0D%0Apage");
        var done = completion.Track(request);
        var before = factory.Logs.Entries.Count;

        using var response = await client.SendAsync(request, Ct);
        await done.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = Assert.Single(PipelineLines(factory, before));
        Assert.StartsWith("HTTP GET /no%0Asuch%0D%0Apage answered 404 in ", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line.Message);
    }

    [Fact]
    public async Task LevelConfiguredForAQuietCategory_StillWins()
    {
        await using var factory = IngressFactory.WithHarness(("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"));
        using var client = factory.CreateClient();
        using var completion = new ServerRequestCompletion();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        var done = completion.Track(request);
        var before = factory.Logs.Entries.Count;

        using var response = await client.SendAsync(request, Ct);
        await done.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Contains(PipelineLines(factory, before), e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics");
    }

    /// <summary>Lines at Information or above from the pipeline (ASP.NET Core and ServiceDefaults) since <paramref name="before"/>.</summary>
    private static List<CapturedLogEntry> PipelineLines(
        IngressFactory factory, int before) =>
        [.. factory.Logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Information
            && (e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || e.Category.StartsWith("StarSync.ServiceDefaults", StringComparison.Ordinal)))];
}
