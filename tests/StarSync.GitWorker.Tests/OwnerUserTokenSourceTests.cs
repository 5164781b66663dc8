using System.Security.Cryptography;
using System.Text.Json;

using MassTransit;
using MassTransit.Testing;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.Secrets;

namespace StarSync.GitWorker.Tests;

/// <summary>
/// The GitWorker's side of borrowing the user token from the Ingress (GitHub:UserTokenFromOwner), against a stand-in
/// owner on MassTransit's test harness: nothing secret in the request, the sealed answer opened, failures explained.
/// </summary>
public sealed class OwnerUserTokenSourceTests
{
    private const string Token = "ghu_borrowedUserAccessToken0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Answer_IsOpenedToTheOwnersToken_AndTheRequestCarriesOnlyAFingerprintOfTheRejectedOne()
    {
        var key = NewKey();
        var expires = DateTimeOffset.UtcNow.AddHours(8);
        await using var provider = await StartAsync(key, (box, request) => new GitHubUserToken(request.RequestId, GitHubUserTokenEnvelope.Seal(box, request.RequestId, Token), expires));
        var source = provider.GetRequiredService<IGitHubUserTokenSource>();

        var token = await source.GetUserTokenAsync("ghu_theRejectedToken", Ct);

        Assert.Equal(Token, token.Value);
        Assert.Equal(expires, token.ExpiresAt);
        var request = Assert.Single(provider.GetRequiredService<ITestHarness>().Consumed.Select<GetGitHubUserToken>(Ct).ToList()).Context.Message;
        Assert.NotNull(request.RejectedTokenFingerprint);
        Assert.DoesNotContain("ghu_", JsonSerializer.Serialize(request), StringComparison.Ordinal);
        Assert.Equal(GitHubUserTokenEnvelope.Fingerprint(Box(key), "ghu_theRejectedToken"), request.RejectedTokenFingerprint);
    }

    [Fact]
    public async Task Unavailable_IsAGitHubExceptionWithTheOwnersReason()
    {
        await using var provider = await StartAsync(NewKey(), (_, request) => new GitHubUserTokenUnavailable(request.RequestId, "GitHub refused to refresh the user access token: bad_refresh_token", false));

        var e = await Assert.ThrowsAsync<GitHubException>(() => provider.GetRequiredService<IGitHubUserTokenSource>().GetUserTokenAsync(null, Ct));

        Assert.Equal("The Ingress has no GitHub user access token to give: GitHub refused to refresh the user access token: bad_refresh_token", e.Message);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task AnswerSealedWithAnotherKey_IsAPermanentErrorNamingTheSetting()
    {
        var other = NewKey();
        await using var provider = await StartAsync(NewKey(), (_, request) => new GitHubUserToken(request.RequestId, GitHubUserTokenEnvelope.Seal(Box(other), request.RequestId, Token), null));

        var e = await Assert.ThrowsAsync<GitHubException>(() => provider.GetRequiredService<IGitHubUserTokenSource>().GetUserTokenAsync(null, Ct));

        Assert.Equal("The GitHub user access token from the Orchestrator could not be decrypted: the Orchestrator and the GitWorker need the same StarSync:SecretKey.", e.Message);
        Assert.False(e.IsTransient);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerSealedForAnotherRequest_DoesNotOpen()
    {
        var key = NewKey();
        await using var provider = await StartAsync(key, (box, request) => new GitHubUserToken(request.RequestId, GitHubUserTokenEnvelope.Seal(box, Guid.NewGuid(), Token), null));

        var e = await Assert.ThrowsAsync<GitHubException>(() => provider.GetRequiredService<IGitHubUserTokenSource>().GetUserTokenAsync(null, Ct));

        Assert.IsType<SecretBoxException>(e.InnerException);
    }

    [Fact]
    public void RefreshToken_IsRefusedByTheGitWorker()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:UserAccessToken"] = "ghu_x",
            ["GitHub:UserRefreshToken"] = "ghr_single-use-refresh-token",
            ["GitHub:AppClientId"] = "Iv1.x",
            ["GitHub:AppClientSecret"] = "client-secret",
            ["GitHub:UserTokenStorePath"] = "/tmp/never.json",
            ["StarSync:SecretKey"] = NewKey(),
            ["OneDev:Url"] = "http://127.0.0.1:1/",
            ["OneDev:Token"] = "unused",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddGitWorkerServices();
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GitHubClientOptions>>().Value);

        Assert.Contains("GitHub:UserRefreshToken must not be given to this service", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_single-use-refresh-token", e.Message, StringComparison.Ordinal);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SecretBox Box(string key) =>
        GitHubUserTokenEnvelope.Box(new StarSyncSecrets(Microsoft.Extensions.Options.Options.Create(new SecretKeyOptions { SecretKey = key })));

    /// <summary>The GitWorker's services with the key, and a stand-in Ingress answering with <paramref name="answer"/>.</summary>
    private static async Task<ServiceProvider> StartAsync(string key, Func<SecretBox, GetGitHubUserToken, object> answer)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StarSync:SecretKey"] = key,
            ["GitHub:UserTokenFromOwner"] = "true",
            ["OneDev:Url"] = "http://127.0.0.1:1/",
            ["OneDev:Token"] = "unused",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddGitWorkerServices();
        services.AddMassTransitTestHarness(x => x.AddHandler<GetGitHubUserToken>(context =>
            context.RespondAsync(answer(Box(key), context.Message))));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.GetRequiredService<ITestHarness>().Start();
        return provider;
    }
}
