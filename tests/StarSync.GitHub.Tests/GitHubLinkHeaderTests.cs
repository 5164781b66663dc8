namespace StarSync.GitHub.Tests;

public sealed class GitHubLinkHeaderTests
{
    [Fact]
    public void Parse_GitHubHeader_ReturnsEveryRel()
    {
        const string header = "<https://api.github.com/user/starred?sort=created&per_page=100&page=2>; rel=\"next\", "
            + "<https://api.github.com/user/starred?sort=created&per_page=100&page=3>; rel=\"last\"";

        var links = GitHubLinkHeader.Parse(header);

        Assert.Equal(2, links.Count);
        Assert.Equal(2, GitHubLinkHeader.PageOf(links["next"]));
        Assert.Equal(3, GitHubLinkHeader.PageOf(links["last"]));
    }

    [Fact]
    public void Parse_MiddlePage_HasPrevFirstNextLast()
    {
        const string header = "<https://h/api/v3/user/starred?page=1>; rel=\"prev\", <https://h/api/v3/user/starred?page=3>; rel=\"next\", "
            + "<https://h/api/v3/user/starred?page=5>; rel=\"last\", <https://h/api/v3/user/starred?page=1>; rel=\"first\"";

        var links = GitHubLinkHeader.Parse(header);

        Assert.Equal([1, 3, 5, 1], new[] { "prev", "next", "last", "first" }.Select(r => GitHubLinkHeader.PageOf(links[r])));
    }

    [Fact]
    public void Parse_SeveralRelsAndUnquoted_MapsEach()
    {
        var links = GitHubLinkHeader.Parse("<https://h/x?page=4>; rel=\"next last\", <https://h/x?a=1&page=1>;rel=first");

        Assert.Equal(4, GitHubLinkHeader.PageOf(links["next"]));
        Assert.Equal(4, GitHubLinkHeader.PageOf(links["last"]));
        Assert.Equal(1, GitHubLinkHeader.PageOf(links["first"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("<not a url>; rel=\"next\"")]
    public void Parse_NothingUsable_ReturnsEmpty(string? header)
    {
        Assert.Empty(GitHubLinkHeader.Parse(header));
    }

    [Fact]
    public void PageOf_NoPageParameter_ReturnsNull()
    {
        Assert.Null(GitHubLinkHeader.PageOf(new Uri("https://h/x?per_page=100")));
        Assert.Null(GitHubLinkHeader.PageOf(null));
    }
}
