using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace StarSync.Ingress.Tests.Admin;

/// <summary><c>GET /</c>: a static page, served without a token, with no data in it.</summary>
public sealed partial class StatusPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StatusPage_WithoutToken_IsServedAndHoldsNoMirrorData(bool adminTokenConfigured)
    {
        await using var factory = new AdminFactory(("Ingress:AdminToken", adminTokenConfigured ? AdminFactory.Token : null));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/", Ct);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("sessionStorage", html);
        Assert.Contains("/admin/mirrors", html);
        Assert.Contains("retry-failed", html);
        Assert.DoesNotContain(WebhookPayloads.FullName, html);
        Assert.DoesNotContain(FakeOrchestrator.FailedFullName, html);
        Assert.DoesNotContain(FakeOrchestrator.DataMarker, html);
        Assert.DoesNotContain(AdminFactory.Token, html);
        Assert.Empty(factory.Orchestrator.Requests);
    }

    [Fact]
    public async Task StatusPage_LoadsNothingFromElsewhere()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/", Ct);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task StatusPage_PolicyAllowsExactlyItsOwnScriptAndStyle()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/", Ct);

        var html = await response.Content.ReadAsStringAsync(Ct);
        var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        var script = Assert.Single(InlineScript().Matches(html)).Groups[1].Value;
        var style = Assert.Single(InlineStyle().Matches(html)).Groups[1].Value;
        Assert.Contains($"script-src '{HashSource(script)}'", policy);
        Assert.Contains($"style-src '{HashSource(style)}'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    [Fact]
    public async Task StatusPage_IsOnlyGet()
    {
        await using var factory = new AdminFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/", null, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static string HashSource(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));

    [GeneratedRegex("""(src|href)\s*=|https?://|@import|url\(""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""<[^>]*\son[a-z]+\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();
}
