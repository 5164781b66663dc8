using Microsoft.Extensions.Time.Testing;
using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StarSync.Emulators.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubEmulatorAppTests
{
    private const long AppId = 99;
    private const long InstallationId = 5;
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Jwt(RSA key, object iss, DateTimeOffset iat, DateTimeOffset exp)
    {
        var header = Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT"}"""u8);
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { iat = iat.ToUnixTimeSeconds(), exp = exp.ToUnixTimeSeconds(), iss }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + claims + "." + Base64Url.EncodeToString(signature);
    }

    private static HttpClient Client(GitHubEmulator github, string? bearer)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = github.ApiUrl };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("StarSync-Tests");
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> CreateTokenAsync(GitHubEmulator github, string jwt, long installationId = InstallationId)
    {
        using var client = Client(github, jwt);
        using var response = await client.PostAsync($"app/installations/{installationId}/access_tokens", null, Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task AccessToken_ValidJwt_IssuesExpiringInstallationToken()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(AppId, key.ExportSubjectPublicKeyInfoPem(), InstallationId, TimeSpan.FromMinutes(20));

        var (status, body) = await CreateTokenAsync(github, Jwt(key, AppId, Start.AddSeconds(-60), Start.AddMinutes(9)));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith("ghs_", body.RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(Start.AddMinutes(20), body.RootElement.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(1, github.InstallationTokensIssued);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("wrong-issuer")]
    [InlineData("exp-too-far")]
    [InlineData("expired")]
    [InlineData("iat-in-future")]
    public async Task AccessToken_BadJwt_Returns401(string problem)
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        github.EnableApp(AppId, key, InstallationId);
        var jwt = problem switch
        {
            "wrong-key" => Jwt(other, AppId, Start.AddSeconds(-60), Start.AddMinutes(9)),
            "wrong-issuer" => Jwt(key, AppId + 1, Start.AddSeconds(-60), Start.AddMinutes(9)),
            "exp-too-far" => Jwt(key, AppId, Start, Start.AddMinutes(11)),
            "expired" => Jwt(key, AppId, Start.AddMinutes(-10), Start.AddSeconds(-1)),
            _ => Jwt(key, AppId, Start.AddMinutes(5), Start.AddMinutes(9)),
        };

        var (status, _) = await CreateTokenAsync(github, jwt);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, github.InstallationTokensIssued);
    }

    [Fact]
    public async Task InstallationToken_ReadsPrivateRepositoryButNotStarsAndExpires()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(AppId, key, InstallationId, TimeSpan.FromMinutes(10));
        var repo = github.CreateRepository("octocat", "secret", isPrivate: true);
        var (_, body) = await CreateTokenAsync(github, Jwt(key, $"{AppId}", Start.AddSeconds(-60), Start.AddMinutes(9)));
        using var client = Client(github, body.RootElement.GetProperty("token").GetString());

        using var repository = await client.GetAsync($"repositories/{repo.Id}", Ct);
        using var starred = await client.GetAsync("user/starred", Ct);
        time.Advance(TimeSpan.FromMinutes(10));
        using var expired = await client.GetAsync($"repositories/{repo.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, repository.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, starred.StatusCode);
        Assert.Contains("Resource not accessible by integration", await starred.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task UserToken_ExpiresThenRefreshesOnce()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var pair = github.IssueUserToken(TimeSpan.FromHours(8));
        using var client = Client(github, pair.AccessToken);
        using var fresh = await client.GetAsync("user/starred", Ct);
        time.Advance(TimeSpan.FromHours(8));
        using var stale = await client.GetAsync("user/starred", Ct);
        using var web = new HttpClient { BaseAddress = github.BaseUrl };
        var form = new Dictionary<string, string>
        {
            ["client_id"] = github.AppClientId,
            ["client_secret"] = github.AppClientSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = pair.RefreshToken,
        };

        using var refreshed = await web.PostAsync("login/oauth/access_token", new FormUrlEncodedContent(form), Ct);
        var encoded = await refreshed.Content.ReadAsStringAsync(Ct);
        using var json = new HttpRequestMessage(HttpMethod.Post, "login/oauth/access_token") { Content = JsonContent(form) };
        json.Headers.Accept.ParseAdd("application/json");
        using var reused = await web.SendAsync(json, Ct);
        using var reusedBody = JsonDocument.Parse(await reused.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("access_token=ghu_", encoded, StringComparison.Ordinal);
        Assert.Contains("refresh_token=ghr_", encoded, StringComparison.Ordinal);
        Assert.Contains("expires_in=28800", encoded, StringComparison.Ordinal);
        Assert.Equal("bad_refresh_token", reusedBody.RootElement.GetProperty("error").GetString());
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.Equal(1, github.RefreshTokensRejected);
        var newToken = Uri.UnescapeDataString(encoded.Split('&').Single(p => p.StartsWith("access_token=", StringComparison.Ordinal))["access_token=".Length..]);
        using var again = Client(github, newToken);
        using var works = await again.GetAsync("user/starred", Ct);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task ExpireUserTokens_EndsTheAccessTokensButNotTheirRefreshTokens()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var pair = github.IssueUserToken(TimeSpan.FromHours(8));
        using var client = Client(github, pair.AccessToken);
        using var before = await client.GetAsync("user/starred", Ct);

        github.ExpireUserTokens();

        using var after = await client.GetAsync("user/starred", Ct);
        using var web = new HttpClient { BaseAddress = github.BaseUrl };
        using var refreshed = await web.PostAsync("login/oauth/access_token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = github.AppClientId,
            ["client_secret"] = github.AppClientSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = pair.RefreshToken,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("access_token=ghu_", await refreshed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);
    }

    [Fact]
    public async Task BlockedRepository_Returns451()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repo = github.CreateRepository("dmca", "gone");
        github.BlockRepository(repo.Id);
        using var client = Client(github, github.Token);

        using var response = await client.GetAsync("repos/dmca/gone", Ct);

        Assert.Equal(HttpStatusCode.UnavailableForLegalReasons, response.StatusCode);
        Assert.Contains("Repository access blocked", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static StringContent JsonContent(Dictionary<string, string> fields) =>
        new(JsonSerializer.Serialize(fields), Encoding.UTF8, "application/json");
}
