using Microsoft.Extensions.Time.Testing;
using System.Security.Cryptography;
using System.Text;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

/// <summary>
/// The process that owns the single-use refresh token (the Orchestrator): each rotated pair is saved, encrypted, in the
/// store, so that a restart or a second owner on the same store never spends a refresh token twice (the emulator, like
/// GitHub, refuses a refresh token's second use).
/// </summary>
[Trait("Category", "Integration")]
public sealed class GitHubUserTokenOwnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotatedPair_AfterARestartOfTheOwner_IsStillUsed_AndTheSpentRefreshTokenNeverAgain()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        github.Star(github.CreateRepository("a", "b").Id);
        var configured = github.IssueUserToken(TimeSpan.FromHours(8));
        using var store = new TokenStoreLocation();
        string rotated;
        await using (var first = GitHubClientHost.WithApp(github, time, key, configured, store: store))
        {
            time.Advance(TimeSpan.FromHours(9));
            Assert.Single((await first.Client.GetStarredPageAsync(1, 100, null, Ct)).Items); // 401, refresh, retry
            rotated = await first.Tokens.GetUserTokenAsync(Ct);
        }
        Assert.Equal(1, github.UserTokensRefreshed);

        // The restarted owner has the same configuration: the configured pair is expired and its refresh token spent.
        await using var restarted = GitHubClientHost.WithApp(github, time, key, configured, store: store);
        var afterStart = await restarted.Tokens.GetUserTokenAsync(Ct); // the stored pair, before any call to GitHub
        var requests = github.RestRequestCount;
        var page = await restarted.Client.GetStarredPageAsync(1, 100, null, Ct);

        Assert.Equal(rotated, afterStart);
        Assert.Single(page.Items);
        Assert.Equal(requests + 1, github.RestRequestCount); // no 401 first
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);

        // And its next refresh spends the stored refresh token, which GitHub accepts.
        time.Advance(TimeSpan.FromHours(9));
        Assert.Single((await restarted.Client.GetStarredPageAsync(1, 100, null, Ct)).Items);
        Assert.Equal(2, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);
    }

    [Fact]
    public async Task OwnersOnOneStore_RacingToRefresh_SpendEachRefreshTokenOnce()
    {
        const int owners = 4;
        const int callersPerOwner = 4;
        const int rounds = 3;
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var configured = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        var hosts = Enumerable.Range(0, owners).Select(_ => GitHubClientHost.WithApp(github, time, key, configured, store: store, knownExpiry: true)).ToList();
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                time.Advance(TimeSpan.FromHours(2)); // every owner's token is expired

                var tokens = await Task.WhenAll(hosts.SelectMany(h => Enumerable.Range(0, callersPerOwner).Select(_ => h.Tokens.GetUserTokenAsync(Ct).AsTask())));

                Assert.Equal(round, github.UserTokensRefreshed);
                Assert.Equal(0, github.RefreshTokensRejected);
                Assert.Single(tokens.Distinct());
                Assert.NotEqual(configured.AccessToken, tokens[0]);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StoreFile_HoldsNoTokenInPlainText_AndOnlyItsOwnerMayReadIt()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var configured = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        await using var host = GitHubClientHost.WithApp(github, time, key, configured, store: store, knownExpiry: true);
        time.Advance(TimeSpan.FromHours(2));

        var rotated = await host.Tokens.GetUserTokenAsync(Ct);

        var bytes = await File.ReadAllBytesAsync(store.FilePath, Ct);
        var views = string.Join("\n", Encoding.UTF8.GetString(bytes), Encoding.Latin1.GetString(bytes), Convert.ToHexString(bytes));
        Assert.Contains("\"format\":\"starsync-github-user-token\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        foreach (var secret in new[] { rotated, configured.AccessToken, configured.RefreshToken, github.AppClientSecret, store.SecretKey })
        {
            Assert.DoesNotContain(secret, views, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), views, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("ghu_", views, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_", views, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
        // Only the store and its lock file: no temporary file is left behind.
        Assert.Equal(["github-user-token.json", "github-user-token.json.lock"],
            Directory.GetFiles(store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StoreWrittenWithAnotherKey_StopsTheStartWithAClearError()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var configured = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        await using (var host = GitHubClientHost.WithApp(github, time, key, configured, store: store, knownExpiry: true))
        {
            time.Advance(TimeSpan.FromHours(2));
            await host.Tokens.GetUserTokenAsync(Ct);
        }
        var otherKey = TokenStoreLocation.NewKey();

        using var restarted = OwnerHost(github, configured, store.FilePath, otherKey);
        var e = await Assert.ThrowsAsync<GitHubTokenStoreException>(() => restarted.StartAsync(Ct));

        Assert.Equal(
            "The GitHub user token store could not be decrypted: it was encrypted with another StarSync:SecretKey (environment variable "
            + $"StarSync__SecretKey), or it was altered. File: {store.FilePath}. Start with the key that wrote it, or delete the file and "
            + "configure a new user authorization (GitHub:UserAccessToken and GitHub:UserRefreshToken).", e.Message);
        var text = e.ToString();
        Assert.DoesNotContain(otherKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(store.SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("ghu_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_", text, StringComparison.Ordinal);
        Assert.Equal(1, github.UserTokensRefreshed);
    }

    [Fact]
    public async Task StoreThatIsNotOne_StopsTheStartNamingTheFile()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var configured = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        await File.WriteAllTextAsync(store.FilePath, "ghu_not-a-store", Ct);

        using var host = OwnerHost(github, configured, store.FilePath, store.SecretKey);
        var e = await Assert.ThrowsAsync<GitHubTokenStoreException>(() => host.StartAsync(Ct));

        Assert.Equal($"{store.FilePath} is not a StarSync GitHub user token store (it is not JSON). Delete it, or point GitHub:UserTokenStorePath elsewhere.", e.Message);
    }

    [Fact]
    public async Task NewAuthorization_ConfiguredAfterRotations_WinsOverTheStoredPair()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var old = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        await using (var host = GitHubClientHost.WithApp(github, time, key, old, store: store, knownExpiry: true))
        {
            time.Advance(TimeSpan.FromHours(2));
            await host.Tokens.GetUserTokenAsync(Ct);
        }
        var renewed = github.IssueUserToken(TimeSpan.FromHours(1)); // the operator authorized the App again

        await using var next = GitHubClientHost.WithApp(github, time, key, renewed, store: store, knownExpiry: true);

        Assert.Equal(renewed.AccessToken, await next.Tokens.GetUserTokenAsync(Ct));
        time.Advance(TimeSpan.FromHours(2));
        Assert.NotEqual(renewed.AccessToken, await next.Tokens.GetUserTokenAsync(Ct));
        Assert.Equal(2, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);
    }

    [Fact]
    public async Task StoreThatCannotBeWritten_KeepsTheNewPairInMemory_AndSavesItOnceItCan()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        using var key = RSA.Create(2048);
        github.EnableApp(GitHubClientHost.AppId, key, GitHubClientHost.InstallationId);
        var configured = github.IssueUserToken(TimeSpan.FromHours(1));
        using var store = new TokenStoreLocation();
        await using var host = GitHubClientHost.WithApp(github, time, key, configured, store: store, knownExpiry: true);
        await host.Tokens.GetUserTokenAsync(Ct); // loads the (empty) store
        await File.WriteAllTextAsync(store.FilePath + ".lock", "", Ct); // the lock can still be taken: only new files are refused
        time.Advance(TimeSpan.FromHours(2));
        string rotated;
        using (ReadOnlyDirectory.Make(store.Directory))
        {
            rotated = await host.Tokens.GetUserTokenAsync(Ct);

            Assert.False(File.Exists(store.FilePath));
            Assert.Equal(rotated, await host.Tokens.GetUserTokenAsync(Ct)); // still served from memory
        }

        Assert.Equal(rotated, await host.Tokens.GetUserTokenAsync(Ct)); // saves on the way
        Assert.True(File.Exists(store.FilePath));
        await using var restarted = GitHubClientHost.WithApp(github, time, key, configured, store: store, knownExpiry: true);
        Assert.Equal(rotated, await restarted.Tokens.GetUserTokenAsync(Ct));
        Assert.Equal(1, github.UserTokensRefreshed);
    }

    /// <summary>A host with the GitHub client as the Orchestrator has it: the owner of <paramref name="user"/>.</summary>
    private static IHost OwnerHost(GitHubEmulator github, GitHubUserTokenPair user, string storePath, string secretKey)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["GitHub:WebUrl"] = github.BaseUrl.ToString(),
            ["GitHub:UserAccessToken"] = user.AccessToken,
            ["GitHub:UserRefreshToken"] = user.RefreshToken,
            ["GitHub:AppClientId"] = github.AppClientId,
            ["GitHub:AppClientSecret"] = github.AppClientSecret,
            ["GitHub:UserTokenStorePath"] = storePath,
            ["StarSync:SecretKey"] = secretKey,
        });
        builder.Services.AddGitHubClient();
        return builder.Build();
    }
}
