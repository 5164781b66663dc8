using System.Security.Cryptography;
using System.Text.Json;

using MassTransit;
using MassTransit.Testing;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.GitHub;
using StarSync.Orchestrator.Tests.Stars;
using StarSync.Orchestrator.Tokens;
using StarSync.Secrets;

namespace StarSync.Orchestrator.Tests.Tokens;

/// <summary>The Orchestrator, owner of the GitHub user token, answering token requests of processes that have none (on the test harness).</summary>
[Trait("Category", "Integration")]
public sealed class GetGitHubUserTokenConsumerTests : IAsyncLifetime
{
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _storeDirectory = Path.Combine(Path.GetTempPath(), "starsync-orchestrator-tokens-" + Guid.NewGuid().ToString("N"));
    private GitHubEmulator _github = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_storeDirectory, "github-user-token.json");

    public async ValueTask InitializeAsync() => _github = await GitHubEmulator.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _github.DisposeAsync();
        if (Directory.Exists(_storeDirectory))
        {
            Directory.Delete(_storeDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Request_IsAnsweredWithTheCurrentToken_SealedForThatRequestOnly_WithAShortTimeToLive()
    {
        var pair = _github.IssueUserToken(TimeSpan.FromHours(8));
        await using var factory = await Owner(pair);
        var requestId = Guid.NewGuid();

        var response = await AskAsync(factory, new GetGitHubUserToken(requestId, DateTimeOffset.UtcNow, null));

        Assert.True(response.Is(out Response<GitHubUserToken>? answer), "the owner answered unavailable");
        Assert.Equal(requestId, answer.Message.RequestId);
        Assert.Equal(pair.AccessToken, GitHubUserTokenEnvelope.Open(Box(), requestId, answer.Message.SealedToken));
        Assert.Throws<SecretBoxException>(() => GitHubUserTokenEnvelope.Open(Box(), Guid.NewGuid(), answer.Message.SealedToken));
        var json = JsonSerializer.Serialize(answer.Message);
        Assert.DoesNotContain(pair.AccessToken, json, StringComparison.Ordinal);
        Assert.DoesNotContain("ghu_", json, StringComparison.Ordinal);
        var sent = Assert.Single(factory.Harness.Sent.Select<GitHubUserToken>(Ct).ToList());
        Assert.Equal(GetGitHubUserTokenConsumer.AnswerTimeToLive, sent.Context.TimeToLive);
        Assert.Equal(0, _github.UserTokensRefreshed);
    }

    [Fact]
    public async Task RejectedFingerprint_OfTheCurrentToken_IsRefreshedBeforeAnswering()
    {
        var pair = _github.IssueUserToken(TimeSpan.FromHours(8));
        await using var factory = await Owner(pair);
        var requestId = Guid.NewGuid();

        var response = await AskAsync(factory, new GetGitHubUserToken(requestId, DateTimeOffset.UtcNow, GitHubUserTokenEnvelope.Fingerprint(Box(), pair.AccessToken)));

        Assert.True(response.Is(out Response<GitHubUserToken>? answer));
        var token = GitHubUserTokenEnvelope.Open(Box(), requestId, answer.Message.SealedToken);
        Assert.NotEqual(pair.AccessToken, token);
        Assert.StartsWith("ghu_", token, StringComparison.Ordinal);
        Assert.Equal(1, _github.UserTokensRefreshed);
        Assert.True(File.Exists(StorePath), "the rotated pair was not saved");
    }

    [Fact]
    public async Task RejectedFingerprint_OfAnotherToken_IsNotRefreshedAgain()
    {
        var pair = _github.IssueUserToken(TimeSpan.FromHours(8));
        await using var factory = await Owner(pair);
        var requestId = Guid.NewGuid();

        var response = await AskAsync(factory, new GetGitHubUserToken(requestId, DateTimeOffset.UtcNow, GitHubUserTokenEnvelope.Fingerprint(Box(), "ghu_an-older-token")));

        Assert.True(response.Is(out Response<GitHubUserToken>? answer));
        Assert.Equal(pair.AccessToken, GitHubUserTokenEnvelope.Open(Box(), requestId, answer.Message.SealedToken));
        Assert.Equal(0, _github.UserTokensRefreshed);
    }

    [Fact]
    public async Task OwnerWhoseRefreshIsRefused_AnswersUnavailableWithTheReasonAndNoSecret()
    {
        var pair = _github.IssueUserToken(TimeSpan.FromHours(8));
        const string spent = "ghr_spentRefreshToken0123456789";
        await using var factory = await Owner(pair with { RefreshToken = spent }, ("GitHub:UserAccessTokenExpiresAt", DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O")));

        var response = await AskAsync(factory, new GetGitHubUserToken(Guid.NewGuid(), DateTimeOffset.UtcNow, null));

        Assert.True(response.Is(out Response<GitHubUserTokenUnavailable>? unavailable), "the owner handed out an expired token");
        Assert.False(unavailable.Message.IsTransient);
        Assert.Contains("bad_refresh_token", unavailable.Message.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(spent, unavailable.Message.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(pair.AccessToken, unavailable.Message.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.AppClientSecret, unavailable.Message.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no secret key")]
    [InlineData("no user access token")]
    [InlineData("a personal access token")]
    public async Task WithoutAUserTokenToShare_NoRequestIsAnswered(string setup)
    {
        var settings = new List<(string, string?)> { ("Stars:Enabled", "false"), ("GitHub:ApiUrl", _github.ApiUrl.ToString()) };
        switch (setup)
        {
            case "no secret key":
                settings.Add(("GitHub:UserAccessToken", _github.IssueUserToken(TimeSpan.FromHours(8)).AccessToken));
                break;
            case "no user access token":
                settings.Add(("StarSync:SecretKey", _key));
                break;
            default:
                settings.Add(("GitHub:Token", _github.Token));
                settings.Add(("StarSync:SecretKey", _key));
                break;
        }
        await using var factory = await StarPollerHost.StartHostAsync(settings.ToDictionary(s => s.Item1, s => s.Item2), null, Ct);

        using var scope = factory.Services.CreateScope();
        Assert.Null(scope.ServiceProvider.GetService<GetGitHubUserTokenConsumer>());
    }

    private async Task<StarPollerHost> Owner(GitHubUserTokenPair pair, params (string Key, string? Value)[] extra) =>
        await StarPollerHost.StartHostAsync(new (string Key, string? Value)[]
        {
            ("Stars:Enabled", "false"),
            ("GitHub:ApiUrl", _github.ApiUrl.ToString()),
            ("GitHub:WebUrl", _github.BaseUrl.ToString()),
            ("GitHub:UserAccessToken", pair.AccessToken),
            ("GitHub:UserRefreshToken", pair.RefreshToken),
            ("GitHub:AppClientId", _github.AppClientId),
            ("GitHub:AppClientSecret", _github.AppClientSecret),
            ("GitHub:UserTokenStorePath", StorePath),
            ("StarSync:SecretKey", _key),
        }.Concat(extra).ToDictionary(s => s.Key, s => s.Value), null, Ct);

    private SecretBox Box() => GitHubUserTokenEnvelope.Box(new StarSyncSecrets(Options.Create(new SecretKeyOptions { SecretKey = _key })));

    private static async Task<Response<GitHubUserToken, GitHubUserTokenUnavailable>> AskAsync(StarPollerHost factory, GetGitHubUserToken request)
    {
        var client = factory.Harness.Bus.CreateRequestClient<GetGitHubUserToken>(RequestTimeout.After(s: 30));
        return await client.GetResponse<GitHubUserToken, GitHubUserTokenUnavailable>(request, Ct);
    }
}
