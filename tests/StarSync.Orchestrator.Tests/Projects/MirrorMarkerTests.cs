using StarSync.Contracts;
using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Tests.Projects;

public sealed class MirrorMarkerTests
{
    [Fact]
    public void Description_NamesUrlAndGitHubId()
    {
        var repository = new GitHubRepository(160919119, "fastapi", "fastapi", "fastapi/fastapi", "https://github.com/fastapi/fastapi.git",
            "https://github.com/fastapi/fastapi", "master", false, 1, null);

        Assert.Equal("Mirror of https://github.com/fastapi/fastapi — managed by StarSync (github-id 160919119)", MirrorMarker.Description(repository));
    }

    [Fact]
    public void Description_WithGitHubDescription_KeepsMarkerOnFirstLine()
    {
        var repository = new GitHubRepository(7, "o", "r", "o/r", "https://github.com/o/r.git", "https://github.com/o/r", "main", false, 1, "A fast framework");

        string description = MirrorMarker.Description(repository);

        Assert.StartsWith("Mirror of https://github.com/o/r — managed by StarSync (github-id 7)\n\n", description, StringComparison.Ordinal);
        Assert.EndsWith("A fast framework", description, StringComparison.Ordinal);
        Assert.Equal(7, MirrorMarker.GitHubIdOf(description));
    }

    [Theory]
    [InlineData("Mirror of https://github.com/a/b — managed by StarSync (github-id 123)", 123L)]
    [InlineData("edited by hand\nMirror of x — managed by StarSync (github-id 9)", 9L)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("My own project", null)]
    [InlineData("managed by StarSync (github-id )", null)]
    [InlineData("managed by StarSync (github-id 99999999999999999999)", null)]
    public void GitHubIdOf_Description_ReadsMarker(string? description, long? expected)
    {
        Assert.Equal(expected, MirrorMarker.GitHubIdOf(description));
    }
}
