using StarSync.Contracts;
using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Tests.Projects;

public sealed class ProjectNamingTests
{
    private static GitHubRepository Repo(string owner, string name) =>
        new(42, owner, name, $"{owner}/{name}", $"https://github.com/{owner}/{name}.git", $"https://github.com/{owner}/{name}", "main", false, 1, null);

    [Theory]
    [InlineData("{owner}-{repo}", "fastapi-fastapi")]
    [InlineData("github-{owner}-{repo}", "github-fastapi-fastapi")]
    [InlineData("{repo}", "fastapi")]
    [InlineData("github/{owner}/{repo}", "github/fastapi/fastapi")]
    [InlineData("mirrors/{owner}-{repo}", "mirrors/fastapi-fastapi")]
    public void Render_Template_ProducesPath(string template, string expected)
    {
        IReadOnlyList<string> segments = ProjectNaming.Render(template, Repo("fastapi", "fastapi"));

        Assert.Equal(expected, ProjectNaming.Join(segments));
    }

    [Fact]
    public void Render_ParentTemplate_ProducesOneSegmentPerLevel()
    {
        IReadOnlyList<string> segments = ProjectNaming.Render("github/{owner}/{repo}", Repo("octo-org", "hello.world"));

        Assert.Equal(["github", "octo-org", "hello.world"], segments);
    }

    [Fact]
    public void Render_SlashInsideName_NeverAddsALevel()
    {
        IReadOnlyList<string> segments = ProjectNaming.Render("{owner}/{repo}", Repo("a/b", "c"));

        Assert.Equal(["a-b", "c"], segments);
    }

    [Fact]
    public void Render_KeepsCaseOfGitHubNames()
    {
        Assert.Equal("Octo-Hello_World", ProjectNaming.Join(ProjectNaming.Render("{owner}-{repo}", Repo("Octo", "Hello_World"))));
    }

    [Fact]
    public void Render_InvalidTemplate_Throws()
    {
        Assert.Throws<ArgumentException>(() => ProjectNaming.Render("{owner}", Repo("a", "b")));
    }

    [Theory]
    [InlineData("fastapi", "fastapi")]
    [InlineData("hello.world", "hello.world")]
    [InlineData("my_repo-2", "my_repo-2")]
    [InlineData("hello world", "hello-world")]
    [InlineData("a  +  b", "a-b")]
    [InlineData("a---b", "a-b")]
    [InlineData("c++", "c")]
    [InlineData("ünïcödé", "n-c-d")]
    [InlineData(".github", "_.github")]
    [InlineData("-leading", "leading")]
    [InlineData("trailing-", "trailing")]
    [InlineData("repo.git", "repo-git")]
    [InlineData("REPO.GIT", "REPO-GIT")]
    [InlineData(".git", "_-git")]
    [InlineData("", "_")]
    [InlineData("!!!", "_")]
    [InlineData("日本語", "_")]
    [InlineData("..", "_..")]
    public void Sanitize_Segment_MatchesOneDevNameRule(string input, string expected)
    {
        string name = ProjectNaming.Sanitize(input);

        Assert.Equal(expected, name);
        AssertValidOneDevName(name);
    }

    [Fact]
    public void Sanitize_LongName_IsBoundedAndKeepsNamesDistinct()
    {
        string a = ProjectNaming.Sanitize(new string('a', 150) + "-one");
        string b = ProjectNaming.Sanitize(new string('a', 150) + "-two");

        Assert.Equal(ProjectNaming.MaxSegmentLength, a.Length);
        Assert.Equal(ProjectNaming.MaxSegmentLength, b.Length);
        Assert.NotEqual(a, b);
        AssertValidOneDevName(a);
    }

    [Fact]
    public void Sanitize_NameAtLimit_IsKept()
    {
        string name = new('x', ProjectNaming.MaxSegmentLength);

        Assert.Equal(name, ProjectNaming.Sanitize(name));
    }

    [Fact]
    public void DateSuffix_FirstAndLaterAlternatives_UseUtcDateThenCounter()
    {
        DateTimeOffset now = new(2026, 8, 22, 23, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal("-20260823", ProjectNaming.DateSuffix(now, 1));
        Assert.Equal("-20260823-2", ProjectNaming.DateSuffix(now, 2));
    }

    [Fact]
    public void WithSuffix_LongName_StaysWithinLimitAndEndsWithSuffix()
    {
        string name = ProjectNaming.Sanitize(new string('r', 200));

        string alternative = ProjectNaming.WithSuffix(name, "-20260822-3");

        Assert.True(alternative.Length <= ProjectNaming.MaxSegmentLength);
        Assert.EndsWith("-20260822-3", alternative, StringComparison.Ordinal);
        AssertValidOneDevName(alternative);
    }

    [Theory]
    [InlineData("{owner}-{repo}")]
    [InlineData("github/{owner}/{repo}")]
    [InlineData("{repo}")]
    [InlineData("mirrors of github/{repo}")]
    public void TemplateErrors_ValidTemplate_IsEmpty(string template)
    {
        Assert.Empty(ProjectNaming.TemplateErrors(template));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{owner}")]
    [InlineData("github/{owner}")]
    [InlineData("/{repo}")]
    [InlineData("{owner}//{repo}")]
    [InlineData("{repo}/")]
    [InlineData("{org}-{repo}")]
    [InlineData("{repo}-{")]
    [InlineData("a/b/c/d/e/f/g/h/{repo}")]
    public void TemplateErrors_InvalidTemplate_ReportsError(string template)
    {
        Assert.NotEmpty(ProjectNaming.TemplateErrors(template));
    }

    private static void AssertValidOneDevName(string name)
    {
        Assert.Matches(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", name);
        Assert.False(name.EndsWith(".git", StringComparison.OrdinalIgnoreCase), name);
        Assert.InRange(name.Length, 1, ProjectNaming.MaxSegmentLength);
    }
}
