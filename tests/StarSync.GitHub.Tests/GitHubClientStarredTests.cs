using Microsoft.Extensions.Time.Testing;
using StarSync.Emulators;

namespace StarSync.GitHub.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubClientStarredTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetStarredPage_FirstOfThree_ParsesItemsAndLinkNextLast()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        for (var i = 0; i < 5; i++)
        {
            var repo = github.CreateRepository("owner" + i, "repo" + i, isPrivate: i == 4);
            repo.Description = "Repository " + i;
            repo.Size = 100 + i;
            github.Star(repo.Id, Start.AddMinutes(i));
        }

        await using var host = GitHubClientHost.WithToken(github, time);

        var page = await host.Client.GetStarredPageAsync(1, 2, null, Ct);

        Assert.False(page.NotModified);
        Assert.Equal(2, page.NextPage);
        Assert.Equal(3, page.LastPage);
        Assert.NotNull(page.ETag);
        Assert.Equal(["owner4/repo4", "owner3/repo3"], page.Items.Select(i => i.Repository.FullName));
        var newest = page.Items[0];
        Assert.Equal(Start.AddMinutes(4), newest.StarredAt);
        var expected = github.Repositories.Single(r => r.Name == "repo4");
        Assert.Equal(expected.Id, newest.Repository.Id);
        Assert.Equal("owner4", newest.Repository.Owner);
        Assert.Equal("repo4", newest.Repository.Name);
        Assert.Equal(expected.CloneUrl.ToString(), newest.Repository.CloneUrl);
        Assert.Equal(new Uri(github.BaseUrl, "owner4/repo4").ToString(), newest.Repository.HtmlUrl);
        Assert.Equal("main", newest.Repository.DefaultBranch);
        Assert.True(newest.Repository.Private);
        Assert.Equal(104, newest.Repository.SizeKb);
        Assert.Equal("Repository 4", newest.Repository.Description);
    }

    [Fact]
    public async Task GetStarredPage_LastPage_HasNoNextPage()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        for (var i = 0; i < 3; i++)
        {
            github.Star(github.CreateRepository("o", "r" + i).Id);
        }

        await using var host = GitHubClientHost.WithToken(github, time);

        var page = await host.Client.GetStarredPageAsync(2, 2, null, Ct);

        Assert.Single(page.Items);
        Assert.Null(page.NextPage);
        Assert.Equal(2, page.LastPage);
    }

    [Fact]
    public async Task GetStarredPage_UnchangedETag_NotModifiedAndRateLimitUnchanged()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        github.Star(github.CreateRepository("fastapi", "fastapi").Id);
        await using var host = GitHubClientHost.WithToken(github, time);
        var first = await host.Client.GetStarredPageAsync(1, 100, null, Ct);
        var remaining = host.Client.RateLimit!.Remaining;
        var requests = github.RestRequestCount;

        var second = await host.Client.GetStarredPageAsync(1, 100, first.ETag, Ct);

        Assert.True(second.NotModified);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(first.Items, second.Items);
        Assert.Equal(remaining, host.Client.RateLimit!.Remaining);
        Assert.Equal(requests + 1, github.RestRequestCount);
    }

    [Fact]
    public async Task GetStarredPage_NewStarAfterETag_ReturnsNewPage()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        github.Star(github.CreateRepository("a", "one").Id);
        await using var host = GitHubClientHost.WithToken(github, time);
        var first = await host.Client.GetStarredPageAsync(1, 100, null, Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        github.Star(github.CreateRepository("b", "two").Id);

        var second = await host.Client.GetStarredPageAsync(1, 100, first.ETag, Ct);

        Assert.False(second.NotModified);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal("b/two", second.Items[0].Repository.FullName);
    }

    [Fact]
    public async Task GetStarredPage_250Stars_ThreePagesOf100()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        for (var i = 0; i < 250; i++)
        {
            github.Star(github.CreateRepository("owner", "repo" + i).Id, Start.AddSeconds(i));
        }

        await using var host = GitHubClientHost.WithToken(github, time);
        var all = new List<StarredRepository>();
        var pages = new List<int>();
        int? page = 1;
        while (page is int current)
        {
            var result = await host.Client.GetStarredPageAsync(current, 100, null, Ct);
            Assert.Equal(3, result.LastPage);
            pages.Add(result.Items.Count);
            all.AddRange(result.Items);
            page = result.NextPage;
        }

        Assert.Equal([100, 100, 50], pages);
        Assert.Equal(250, all.Select(s => s.Repository.Id).Distinct().Count());
        Assert.Equal(all.OrderByDescending(s => s.StarredAt).Select(s => s.Repository.Id), all.Select(s => s.Repository.Id));
    }

    [Fact]
    public async Task IsStarred_StarredAndNot_TrueThenFalse()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        var starred = github.CreateRepository("a", "starred");
        github.CreateRepository("a", "plain");
        github.Star(starred.Id);
        await using var host = GitHubClientHost.WithToken(github, time);

        Assert.True(await host.Client.IsStarredAsync("a", "starred", Ct));
        Assert.False(await host.Client.IsStarredAsync("a", "plain", Ct));
        Assert.False(await host.Client.IsStarredAsync("a", "missing", Ct));
    }

    [Fact]
    public async Task BadToken_ThrowsPermanentWithoutTheToken()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await GitHubEmulator.StartAsync(time, Ct);
        const string token = "ghp_notAValidTokenButSecret123";
        await using var host = GitHubClientHost.WithToken(github, time, token);

        var e = await Assert.ThrowsAsync<GitHubException>(() => host.Client.GetStarredPageAsync(1, 100, null, Ct));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.DoesNotContain(token, e.ToString(), StringComparison.Ordinal);
    }
}
