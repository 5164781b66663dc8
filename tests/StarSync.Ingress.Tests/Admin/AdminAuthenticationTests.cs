using System.Net;
using System.Net.Http.Headers;
using System.Text;

using StarSync.Ingress.Admin;

namespace StarSync.Ingress.Tests.Admin;

/// <summary>Every admin route refuses every caller without the right token with the same body, revealing nothing.</summary>
public sealed class AdminAuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each admin route, one unknown admin route, and a request whose parameters are bad as well.</summary>
    private static readonly (HttpMethod Method, string Path, string? Body)[] Routes =
    [
        (HttpMethod.Get, "/admin/mirrors", null),
        (HttpMethod.Get, "/admin/mirrors?state=Failed&limit=10", null),
        (HttpMethod.Get, $"/admin/mirrors/{WebhookPayloads.RepositoryId}", null),
        (HttpMethod.Post, $"/admin/mirrors/{WebhookPayloads.RepositoryId}/sync", null),
        (HttpMethod.Put, $"/admin/mirrors/{WebhookPayloads.RepositoryId}/interval", """{"seconds": 3600}"""),
        (HttpMethod.Put, $"/admin/mirrors/{WebhookPayloads.RepositoryId}/build-spec-policy", """{"policy": "Allow"}"""),
        (HttpMethod.Post, "/admin/mirrors/retry-failed", null),
        (HttpMethod.Post, "/admin/stars/backfill", null),
        (HttpMethod.Get, "/admin/no-such-route", null),
        (HttpMethod.Get, "/admin/mirrors?limit=abc&state=Nope", null),
        (HttpMethod.Put, "/admin/mirrors/not-a-number/interval", "not json"),
        (HttpMethod.Get, "/ADMIN/Mirrors", null),
    ];

    public static TheoryData<string, string?, string?> Refusals => new()
    {
        // case, configured token (null: unset), Authorization header (null: none)
        { "no header", AdminFactory.Token, null },
        { "empty bearer", AdminFactory.Token, "Bearer " },
        { "wrong token", AdminFactory.Token, "Bearer " + AdminFactory.Token + "x" },
        { "token prefix", AdminFactory.Token, "Bearer " + AdminFactory.Token[..^1] },
        { "other scheme", AdminFactory.Token, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminFactory.Token)) },
        { "token without scheme", AdminFactory.Token, AdminFactory.Token },
        { "admin API disabled (unset)", null, "Bearer " + AdminFactory.Token },
        { "admin API disabled (empty)", "", "Bearer " + AdminFactory.Token },
        { "admin API disabled, no header", null, null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task AnyAdminRoute_WithoutTheRightToken_Returns401WithTheSameBodyAndNoData(string scenario, string? configured, string? authorization)
    {
        await using var factory = new AdminFactory(("Ingress:AdminToken", configured));
        using var client = factory.CreateClient();

        foreach (var (method, path, body) in Routes)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await client.SendAsync(request, Ct);

            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{scenario}: {method} {path} answered {(int)response.StatusCode}: {text}");
            Assert.Equal(AdminAuthenticationMiddleware.UnauthorizedBody, text);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.DoesNotContain(FakeOrchestrator.DataMarker, text);
            Assert.DoesNotContain(WebhookPayloads.FullName, text);
        }
        Assert.Empty(factory.Orchestrator.Requests);
        Assert.Empty(factory.Harness.Published.Select(static _ => true, Ct));
        Assert.Equal(Routes.Length, factory.Logs.From("StarSync.Ingress").Count(e => e.EventId.Id == 1200));
    }

    [Fact]
    public async Task TokenSentTwice_Returns401()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/mirrors");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + AdminFactory.Token, "Bearer " + AdminFactory.Token]);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(factory.Orchestrator.Requests);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task RightToken_AnySchemeCase_IsAccepted(string scheme)
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, AdminFactory.Token);

        using var response = await client.GetAsync("/admin/mirrors", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownAdminRoute_WithTheToken_Returns404()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateAdminClient();

        using var response = await client.GetAsync("/admin/no-such-route", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnyAdminRequest_NeverLogsTheTokenOrAWrongOne()
    {
        const string wrong = "wrong-admin-token-5e8a1b";
        await using var factory = new AdminFactory();
        using var right = factory.CreateAdminClient();
        using var other = factory.CreateAdminClient(wrong);

        foreach (var client in new[] { right, other })
        {
            using var list = await client.GetAsync("/admin/mirrors", Ct);
            using var sync = await client.PostAsync($"/admin/mirrors/{WebhookPayloads.RepositoryId}/sync", null, Ct);
            using var retry = await client.PostAsync("/admin/mirrors/retry-failed", null, Ct);
        }

        var all = string.Join("\n", factory.Logs.Entries.Select(e => e.Message + " " + e.Exception));
        Assert.Contains(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1200);
        Assert.Contains(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1210);
        Assert.DoesNotContain(AdminFactory.Token, all);
        Assert.DoesNotContain(wrong, all);
    }
}
