using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

/// <summary>
/// A process without a user credential of its own (the GitWorker with GitHub:UserTokenFromOwner) borrows user access
/// tokens from the owner, never refreshes one itself, and tells the owner which token GitHub rejected.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GitHubUserTokenBorrowerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RejectedBorrowedToken_IsNamedToTheOwner_AndItsReplacementReadsPrivateRepositories()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repository = github.CreateRepository("octocat", "secret-project", isPrivate: true);
        var stale = github.IssueUserToken(TimeSpan.FromHours(8));
        github.ExpireUserTokens();
        var fresh = github.IssueUserToken(TimeSpan.FromHours(8));
        var owner = new FakeOwner(stale, fresh);
        await using var host = Borrower(github, time, owner);

        var lookup = await host.Client.GetRepositoryAsync(repository.Id, Ct);

        Assert.Equal(RepositoryLookupStatus.Found, lookup.Status);
        Assert.Equal([null, stale.AccessToken], owner.Rejected);
        Assert.Equal(fresh.AccessToken, await host.Tokens.GetInstallationTokenAsync(Ct)); // git fetches with it too
        Assert.Equal(0, github.UserTokensRefreshed);
    }

    [Fact]
    public async Task BorrowedToken_IsKeptUntilNearItsExpiry()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var first = github.IssueUserToken(TimeSpan.FromHours(1));
        var second = github.IssueUserToken(TimeSpan.FromHours(2));
        var owner = new FakeOwner(first, second);
        await using var host = Borrower(github, time, owner);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Tokens.GetUserTokenAsync(Ct).AsTask()));
        time.Advance(TimeSpan.FromMinutes(54));
        var stillFirst = await host.Tokens.GetUserTokenAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: inside the 5-minute margin
        var next = await host.Tokens.GetUserTokenAsync(Ct);

        Assert.All(tokens, t => Assert.Equal(first.AccessToken, t));
        Assert.Equal(first.AccessToken, stillFirst);
        Assert.Equal(second.AccessToken, next);
        Assert.Equal([null, null], owner.Rejected);
    }

    [Fact]
    public async Task OwnerThatCannotAnswer_FailsTheCallWithItsReason()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        await using var host = Borrower(github, TimeProvider.System, new FakeOwner());

        var e = await Assert.ThrowsAsync<GitHubException>(() => host.Client.GetRepositoryAsync(1, Ct));

        Assert.True(e.IsTransient);
        Assert.Equal("the fake owner has no token left", e.Message);
    }

    private static GitHubClientHost Borrower(GitHubEmulator github, TimeProvider time, FakeOwner owner) =>
        GitHubClientHost.Create(github, time, new() { ["GitHub:UserTokenFromOwner"] = "true", ["StarSync:SecretKey"] = TokenStoreLocation.NewKey() },
            allowAnonymous: true, source: owner);

    /// <summary>Hands out the given pairs' access tokens in order and records which token each request said was rejected.</summary>
    private sealed class FakeOwner(params GitHubUserTokenPair[] pairs) : IGitHubUserTokenSource
    {
        private readonly ConcurrentQueue<GitHubUserTokenPair> _left = new(pairs);
        private readonly ConcurrentQueue<string?> _rejected = new();

        public IReadOnlyList<string?> Rejected => [.. _rejected];

        public Task<GitHubAccessToken> GetUserTokenAsync(string? rejectedToken, CancellationToken ct)
        {
            _rejected.Enqueue(rejectedToken);
            return _left.TryDequeue(out var pair)
                ? Task.FromResult(new GitHubAccessToken(pair.AccessToken, pair.ExpiresAt))
                : throw new GitHubException("the fake owner has no token left", null, isTransient: true);
        }
    }
}
