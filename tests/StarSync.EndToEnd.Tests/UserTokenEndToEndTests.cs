using System.Security.Cryptography;
using System.Text;

using StarSync.Emulators;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// The GitHub user token with its single-use refresh token, owned by an Orchestrator process: its rotations survive a hard
/// restart of the owner, and a GitWorker without any credential of its own borrows the token over RabbitMQ to mirror
/// private repositories. The emulator, like GitHub, refuses a refresh token's second use and counts every refresh.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UserTokenEndToEndTests(TestServers servers)
{
    [Fact]
    public async Task OwnerRotatesAndIsKilled_StillAuthenticatedAfterRestart_AndTheWorkerBorrowsItsToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // The GitWorker has no credential of its own: it may only borrow the owner's user token.
        await using var stack = await StarSyncStack.StartAsync(servers, gitWorkerSettings: new Dictionary<string, string?>
        {
            ["GitHub__Token"] = null,
            ["GitHub__UserTokenFromOwner"] = "true",
            ["StarSync__SecretKey"] = secretKey,
        }, ct: ct);
        var github = stack.GitHub;
        var workerProcess = stack.GitWorkers.Single();
        using var work = new TempDirectory("user-token");
        var storePath = Path.Combine(work.Path, "orchestrator", "github-user-token.json");
        var configured = github.IssueUserToken(TimeSpan.FromHours(8));
        // The configured access token is already expired: the owner's first poll gets a 401 and refreshes.
        github.ExpireUserTokens();

        // A second Orchestrator, the owner; the first has no GitHub credential, so this one is also the star poller.
        var owner = stack.OrchestratorEnvironment();
        foreach (var (name, value) in new Dictionary<string, string?>
        {
            ["GitHub__ApiUrl"] = github.ApiUrl.ToString(),
            ["GitHub__WebUrl"] = github.BaseUrl.ToString(),
            ["GitHub__UserAccessToken"] = configured.AccessToken,
            ["GitHub__UserRefreshToken"] = configured.RefreshToken,
            ["GitHub__AppClientId"] = github.AppClientId,
            ["GitHub__AppClientSecret"] = github.AppClientSecret,
            ["GitHub__UserTokenStorePath"] = storePath,
            ["StarSync__SecretKey"] = secretKey,
            ["Stars__PollInterval"] = "00:00:05",
        })
        {
            owner[name] = value;
        }
        var ownerProcess = stack.StartService("StarSync.Orchestrator", owner);
        await ownerProcess.WaitForHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await stack.WaitForConsumersAsync(new Dictionary<string, int> { ["get-git-hub-user-token"] = 1 }, ct);

        // 1. The owner refreshes once; the worker, which has no token, borrows the owner's to fetch a private repository.
        var first = await PrivateRepositoryAsync(github, "first-secret");
        github.Star(first.Repository.Id);
        await MirroredAsync(stack, first, ct);
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);
        Assert.True(File.Exists(storePath), "the owner did not save the rotated pair");

        // 2. The owner dies without any chance to clean up, and comes back with the same configuration, whose access
        // token is expired and whose refresh token is spent. It must go on with the saved pair.
        ownerProcess.Kill();
        var restarted = await stack.StartLikeAsync(ownerProcess, ct);
        var second = await PrivateRepositoryAsync(github, "second-secret");
        github.Star(second.Repository.Id);
        await MirroredAsync(stack, second, ct);
        Assert.Equal(1, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);

        // 3. Every user token expires: the restarted owner renews with the saved refresh token (once, although both its
        // poller and the worker's request need a new token), and the worker, after GitHub refuses its borrowed token, gets the new one.
        github.ExpireUserTokens();
        var third = await PrivateRepositoryAsync(github, "third-secret");
        github.Star(third.Repository.Id);
        await MirroredAsync(stack, third, ct);
        Assert.Equal(2, github.UserTokensRefreshed);
        Assert.Equal(0, github.RefreshTokensRejected);

        // No token, refresh token, client secret or key in the store, the logs or the processes' command lines.
        var store = await File.ReadAllBytesAsync(storePath, ct);
        var visible = Encoding.Latin1.GetString(store) + "\n" + string.Join("\n", stack.Processes.Select(p => p.OutputText));
        foreach (var secret in new[] { configured.AccessToken, configured.RefreshToken, github.AppClientSecret, secretKey })
        {
            Assert.DoesNotContain(secret, visible, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("ghu_", visible, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_", visible, StringComparison.Ordinal);
        foreach (var process in new[] { workerProcess, restarted })
        {
            var commandLine = await File.ReadAllTextAsync($"/proc/{process.Pid}/cmdline", ct);
            Assert.DoesNotContain("ghu_", commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain("ghr_", commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain(secretKey, commandLine, StringComparison.Ordinal);
        }
    }

    private static async Task<(EmulatedRepository Repository, SourceRepository Source)> PrivateRepositoryAsync(GitHubEmulator github, string name)
    {
        var repository = github.CreateRepository(GitHubEmulator.UserLogin, name, isPrivate: true);
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "plan.txt", name, "initial");
        return (repository, source);
    }

    private static async Task MirroredAsync(StarSyncStack stack, (EmulatedRepository Repository, SourceRepository Source) star, CancellationToken ct)
    {
        var mirror = await stack.WaitForStateAsync(star.Repository.Id, "Completed", TimeSpan.FromSeconds(120), ct);
        Assert.Equal((await star.Source.GetRefsAsync()).OrderBy(r => r.Key), (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
    }
}
