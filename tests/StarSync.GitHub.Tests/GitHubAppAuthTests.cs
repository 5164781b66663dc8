using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Security.Cryptography;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubAppAuthTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InstallationToken_AcceptedCachedAndRefreshedNearExpiry()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId, TimeSpan.FromMinutes(10));
        var repo = github.CreateRepository("octocat", "private", isPrivate: true);
        await using var host = GitHubClientHost.WithApp(github, time, key);

        var first = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var issuedWhileFresh = github.InstallationTokensIssued;
        time.Advance(TimeSpan.FromMinutes(4));
        await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var issuedBeforeMargin = github.InstallationTokensIssued;
        time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: inside the 5-minute margin
        var refreshed = await host.Client.GetRepositoryAsync(repo.Id, Ct);

        Assert.Equal(RepositoryLookupStatus.Found, first.Status);
        Assert.Equal(1, issuedWhileFresh);
        Assert.Equal(1, issuedBeforeMargin);
        Assert.Equal(2, github.InstallationTokensIssued);
        Assert.Equal(RepositoryLookupStatus.Found, refreshed.Status);
    }

    [Fact]
    public async Task InstallationToken_RevokedEarly_ReplacedAfter401()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithApp(github, time, key);
        await host.Client.GetRepositoryAsync(repo.Id, Ct);
        github.ExpireInstallationTokens();

        var lookup = await host.Client.GetRepositoryAsync(repo.Id, Ct);

        Assert.Equal(RepositoryLookupStatus.Found, lookup.Status);
        Assert.Equal(2, github.InstallationTokensIssued);
    }

    [Fact]
    public async Task JwtSignedWithWrongKey_PermanentErrorWithoutSecrets()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        using var wrong = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithApp(github, time, wrong);

        var e = await Assert.ThrowsAsync<GitHubException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.Equal(0, github.InstallationTokensIssued);
        var pem = wrong.ExportRSAPrivateKeyPem();
        var keyBody = pem.Split('\n')[1];
        Assert.DoesNotContain(keyBody, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", e.ToString(), StringComparison.Ordinal); // no JWT
    }

    [Fact]
    public async Task UserToken_ExpiredUnknownExpiry_RefreshedAfter401()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        github.Star(github.CreateRepository("a", "b").Id);
        var user = github.IssueUserToken(TimeSpan.FromHours(8));
        await using var host = GitHubClientHost.WithApp(github, time, key, user);
        Assert.Single((await host.Client.GetStarredPageAsync(1, 100, null, Ct)).Items);
        time.Advance(TimeSpan.FromHours(9));

        var page = await host.Client.GetStarredPageAsync(1, 100, null, Ct);

        Assert.Single(page.Items);
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.NotEqual(user.AccessToken, await host.Tokens.GetUserTokenAsync(Ct));
    }

    [Fact]
    public async Task UserToken_NearExpiryAfterRefresh_RefreshedBeforeCalling()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        github.Star(github.CreateRepository("a", "b").Id);
        var user = github.IssueUserToken(TimeSpan.FromHours(1));
        await using var host = GitHubClientHost.WithApp(github, time, key, user);
        time.Advance(TimeSpan.FromHours(2));
        await host.Client.GetStarredPageAsync(1, 100, null, Ct); // 401, refresh, retry: the new token's expiry is now known
        time.Advance(TimeSpan.FromMinutes(56));
        var before = github.RestRequestCount;

        await host.Client.GetStarredPageAsync(1, 100, null, Ct);

        Assert.Equal(2, github.UserTokensRefreshed);
        Assert.Equal(before + 1, github.RestRequestCount); // refreshed before calling: no 401 round trip
    }

    [Fact]
    public async Task UserToken_BadRefreshToken_PermanentErrorWithoutSecrets()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var user = github.IssueUserToken(TimeSpan.FromMinutes(1));
        const string refresh = "ghr_spentOrForgedRefreshToken0123456789";
        await using var host = GitHubClientHost.WithApp(github, time, key, user, refresh);
        time.Advance(TimeSpan.FromMinutes(2));

        var e = await Assert.ThrowsAsync<GitHubException>(() => host.Client.GetStarredPageAsync(1, 100, null, Ct));

        Assert.False(e.IsTransient);
        Assert.Contains("bad_refresh_token", e.Message, StringComparison.Ordinal);
        var text = e.ToString();
        Assert.DoesNotContain(refresh, text, StringComparison.Ordinal);
        Assert.DoesNotContain(user.AccessToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(github.AppClientSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserTokens_ConcurrentCallers_RefreshOnce()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var user = github.IssueUserToken(TimeSpan.FromHours(1));
        await using var host = GitHubClientHost.WithApp(github, time, key, user);
        host.Tokens.InvalidateUserToken(user.AccessToken);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Tokens.GetUserTokenAsync(Ct).AsTask()));

        Assert.Single(tokens.Distinct());
        Assert.Equal(1, github.UserTokensRefreshed);
    }
}
