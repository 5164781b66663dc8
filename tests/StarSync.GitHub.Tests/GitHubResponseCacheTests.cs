using Microsoft.Extensions.Time.Testing;
using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

/// <summary>Octokit's conditional requests through <see cref="GitHubResponseCache"/>, against the emulator.</summary>
[Trait("Category", "Integration")]
public sealed class GitHubResponseCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneUrlTwoMediaTypes_EachAnsweredFromItsOwnEntryAfter304()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        github.Star(github.CreateRepository("fastapi", "fastapi").Id, Start.AddMinutes(-5));
        await using var host = GitHubClientHost.WithToken(github, time);
        var withDates = await ListAsync(host, github, starJson: true);
        var plain = await ListAsync(host, github, starJson: false);
        var requests = github.RestRequestCount;

        var withDatesAgain = await ListAsync(host, github, starJson: true);
        var plainAgain = await ListAsync(host, github, starJson: false);

        Assert.False(withDates.NotModified);
        Assert.False(plain.NotModified);
        Assert.True(withDatesAgain.NotModified);
        Assert.True(plainAgain.NotModified);
        Assert.Equal(requests + 2, github.RestRequestCount); // both were sent, conditionally
        Assert.Equal(plain.Remaining, withDatesAgain.Remaining); // and neither cost a request of the budget
        Assert.Equal(plain.Remaining, plainAgain.Remaining);
        Assert.Equal(Start.AddMinutes(-5), withDatesAgain.StarredAt);
        Assert.Null(plainAgain.StarredAt);
        Assert.Equal("fastapi/fastapi", withDatesAgain.FullName);
        Assert.Equal("fastapi/fastapi", plainAgain.FullName);
        Assert.Equal(2, host.ResponseCache.Count);
    }

    [Fact]
    public async Task CacheSizeZero_NothingKeptAndNoConditionalRequest()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.Create(github, time, new() { ["GitHub:Token"] = github.Token, ["GitHub:ETagCacheSize"] = "0" });
        await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var remaining = host.Client.RateLimit!.Remaining;

        await host.Client.GetRepositoryAsync(repo.Id, Ct);

        Assert.Equal(remaining - 1, host.Client.RateLimit!.Remaining);
        Assert.Equal(0, host.ResponseCache.Count);
    }

    /// <summary><c>GET /user/starred</c> through Octokit's own methods: star+json (with dates) or plain JSON.</summary>
    private static async Task<(bool NotModified, int Remaining, DateTimeOffset? StarredAt, string FullName)> ListAsync(
        GitHubClientHost host, GitHubEmulator github, bool starJson)
    {
        using var call = host.Connections.Api("token", github.Token, "list starred repositories", Ct);
        if (starJson)
        {
            var star = Assert.Single(await call.Octokit.Activity.Starring.GetAllForCurrentWithTimestamps());
            return (call.Wire.NotModified, call.Wire.RateLimit!.Remaining, star.StarredAt, star.Repo.FullName);
        }

        var repository = Assert.Single(await call.Octokit.Activity.Starring.GetAllForCurrent());
        return (call.Wire.NotModified, call.Wire.RateLimit!.Remaining, null, repository.FullName);
    }
}
