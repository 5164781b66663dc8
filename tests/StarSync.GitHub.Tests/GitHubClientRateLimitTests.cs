using Microsoft.Extensions.Time.Testing;
using System.Net;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubClientRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task PrimaryLimitExhausted_ThrowsWithResetAndSendsNothingUntilThen(int status)
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        github.Star(repo.Id);
        await using var host = GitHubClientHost.WithToken(github, time);
        github.ExhaustRateLimit(TimeSpan.FromMinutes(10), status);

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetStarredPageAsync(1, 100, null, Ct));
        var sent = github.RestRequestCount;
        var again = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));
        time.Advance(TimeSpan.FromMinutes(9));
        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.IsStarredAsync("a", "b", Ct));

        Assert.Equal((HttpStatusCode)status, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.False(e.IsSecondary);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Start.AddMinutes(10).ToUnixTimeSeconds()), e.RetryAt);
        Assert.Equal(e.RetryAt, again.RetryAt);
        Assert.Equal(sent, github.RestRequestCount);
        Assert.Equal(0, host.Client.RateLimit!.Remaining);

        time.Advance(TimeSpan.FromMinutes(1));
        var page = await host.Client.GetStarredPageAsync(1, 100, null, Ct);

        Assert.Single(page.Items);
        Assert.Equal(sent + 1, github.RestRequestCount);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task SecondaryLimit_ThrowsWithRetryAfterAndSendsNothingUntilThen(int status)
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithToken(github, time);
        github.SecondaryRateLimitNext(1, retryAfterSeconds: 45, status);

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));
        var sent = github.RestRequestCount;
        time.Advance(TimeSpan.FromSeconds(44));
        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));

        Assert.True(e.IsSecondary);
        Assert.Equal(Start.AddSeconds(45), e.RetryAt);
        Assert.Equal(sent, github.RestRequestCount);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RepositoryLookupStatus.Found, (await host.Client.GetRepositoryAsync(repo.Id, Ct)).Status);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task SecondaryLimitWithoutRetryAfter_WaitsAMinuteThenTwiceAsLong(int status)
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithToken(github, time);
        github.SecondaryRateLimitNext(2, retryAfterSeconds: null, status);

        var first = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));
        time.Advance(TimeSpan.FromSeconds(59));
        var sent = github.RestRequestCount;
        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));
        Assert.Equal(sent, github.RestRequestCount); // blocked: not sent
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));

        Assert.Equal((HttpStatusCode)status, first.StatusCode);
        Assert.True(first.IsSecondary);
        Assert.Equal(Start.AddMinutes(1), first.RetryAt);
        Assert.True(second.IsSecondary);
        Assert.Equal(Start.AddMinutes(1 + 2), second.RetryAt); // repeated: back off exponentially
        Assert.Equal(sent + 1, github.RestRequestCount);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(RepositoryLookupStatus.Found, (await host.Client.GetRepositoryAsync(repo.Id, Ct)).Status);
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfterOnExhaustedLimit_RetryAfterWinsOverReset()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        github.Star(github.CreateRepository("a", "b").Id);
        await using var host = GitHubClientHost.WithToken(github, time);
        github.ExhaustRateLimit(TimeSpan.FromMinutes(30), 429, retryAfterSeconds: 120);

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => host.Client.GetStarredPageAsync(1, 100, null, Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.False(e.IsSecondary);
        Assert.Equal(Start.AddMinutes(2), e.RetryAt);
        Assert.Equal(0, host.Client.RateLimit!.Remaining);
    }

    [Fact]
    public async Task EveryAnswer_RateLimitStatusRecorded()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithToken(github, time);

        Assert.Null(host.Client.RateLimit);
        await host.Client.GetRepositoryAsync(repo.Id, Ct);
        await host.Client.GetRepositoryAsync(999, Ct);

        var status = host.Client.RateLimit!;
        Assert.Equal(5000, status.Limit);
        Assert.Equal(4998, status.Remaining);
        Assert.Equal(2, status.Used);
        Assert.Equal("core", status.Resource);
        Assert.True(status.Reset > Start);
    }
}
