using Microsoft.Extensions.Time.Testing;
using System.Net;

using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubClientRepositoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetRepository_ByIdAndName_Found()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("fastapi", "fastapi", defaultBranch: "master");
        await using var host = GitHubClientHost.WithToken(github, time);

        var byId = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var byName = await host.Client.GetRepositoryAsync("fastapi", "fastapi", Ct);

        Assert.Equal(RepositoryLookupStatus.Found, byId.Status);
        Assert.Equal(byId, byName);
        Assert.Equal("master", byId.Repository!.DefaultBranch);
        Assert.Equal(repo.Id, byId.Repository.Id);
    }

    [Fact]
    public async Task GetRepository_Unknown_NotFound()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        await using var host = GitHubClientHost.WithToken(github, time);

        Assert.Equal(RepositoryLookupStatus.NotFound, (await host.Client.GetRepositoryAsync(999, Ct)).Status);
        Assert.Equal(RepositoryLookupStatus.NotFound, (await host.Client.GetRepositoryAsync("nobody", "nothing", Ct)).Status);
    }

    [Fact]
    public async Task GetRepository_OldNameAfterRename_MovedToNewLocation()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("old-owner", "old-name");
        github.RenameRepository(repo.Id, "new-owner", "new-name");
        await using var host = GitHubClientHost.WithToken(github, time);

        var lookup = await host.Client.GetRepositoryAsync("old-owner", "old-name", Ct);

        Assert.Equal(RepositoryLookupStatus.Moved, lookup.Status);
        Assert.Equal("new-owner/new-name", lookup.Repository!.FullName);
        Assert.Equal(repo.Id, lookup.Repository.Id);
        Assert.Equal(new Uri(github.ApiUrl, $"repositories/{repo.Id}"), lookup.MovedTo);
    }

    [Fact]
    public async Task GetRepository_Private_FoundWithTokenInvisibleWithout()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("octocat", "secret", isPrivate: true);
        await using var host = GitHubClientHost.WithToken(github, time);
        using var anonymous = new HttpClient { BaseAddress = github.ApiUrl };
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd("StarSync-Tests");

        var lookup = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        using var withoutToken = await anonymous.GetAsync($"repositories/{repo.Id}", Ct);

        Assert.Equal(RepositoryLookupStatus.Found, lookup.Status);
        Assert.True(lookup.Repository!.Private);
        Assert.Equal(HttpStatusCode.NotFound, withoutToken.StatusCode);
    }

    [Fact]
    public async Task GetRepository_WithoutCredentialsWhereAnonymousIsAllowed_ReadsPublicRepositoriesOnly()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var open = github.CreateRepository("octocat", "open");
        var secret = github.CreateRepository("octocat", "hidden", isPrivate: true);
        await using var host = GitHubClientHost.Create(github, time, [], allowAnonymous: true);

        var found = await host.Client.GetRepositoryAsync(open.Id, Ct);
        var invisible = await host.Client.GetRepositoryAsync(secret.Id, Ct);

        Assert.Equal(RepositoryLookupStatus.Found, found.Status);
        Assert.Equal(RepositoryLookupStatus.NotFound, invisible.Status);
        Assert.Equal(60, host.Client.RateLimit!.Limit); // GitHub's budget for anonymous callers: no token was sent
    }

    [Fact]
    public async Task GetRepository_LegallyBlocked_Blocked()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("dmca", "takedown");
        github.BlockRepository(repo.Id);
        await using var host = GitHubClientHost.WithToken(github, time);

        var lookup = await host.Client.GetRepositoryAsync(repo.Id, Ct);

        Assert.Equal(RepositoryLookupStatus.Blocked, lookup.Status);
        Assert.Null(lookup.Repository);
    }

    [Fact]
    public async Task GetRepository_Unchanged_ConditionalRequestReturnsCachedResult()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("a", "b");
        await using var host = GitHubClientHost.WithToken(github, time);
        var first = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var remaining = host.Client.RateLimit!.Remaining;

        var second = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        repo.Description = "changed";
        var third = await host.Client.GetRepositoryAsync(repo.Id, Ct);

        Assert.Equal(first, second);
        Assert.Equal(remaining - 1, host.Client.RateLimit!.Remaining); // the 304 was free, the changed answer was not
        Assert.Equal("changed", third.Repository!.Description);
    }

    [Fact]
    public async Task AnswerWithoutPrivate_ReadAsPrivate()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("octocat", "unknown-visibility");
        repo.OmittedFields.UnionWith(["private", "visibility"]);
        github.Star(repo.Id);
        await using var host = GitHubClientHost.WithToken(github, time);

        var lookup = await host.Client.GetRepositoryAsync(repo.Id, Ct);
        var page = await host.Client.GetStarredPageAsync(1, 100, null, Ct);

        // The webhook parser's reading too: unknown visibility is never taken for public.
        Assert.True(lookup.Repository!.Private);
        Assert.True(Assert.Single(page.Items).Repository.Private);
    }

    [Theory]
    [InlineData("clone_url", "clone_url is missing")]
    [InlineData("owner", "owner.login is missing")]
    public async Task AnswerWithoutRequiredField_PermanentErrorNamingIt(string field, string problem)
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var repo = github.CreateRepository("octocat", "trimmed");
        repo.OmittedFields.Add(field);
        await using var host = GitHubClientHost.WithToken(github, time);

        var e = await Assert.ThrowsAsync<GitHubException>(() => host.Client.GetRepositoryAsync(repo.Id, Ct));

        Assert.False(e.IsTransient);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
