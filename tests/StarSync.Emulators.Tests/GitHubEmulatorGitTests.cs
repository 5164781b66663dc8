using System.Net;

namespace StarSync.Emulators.Tests;

[Trait("Category", "Integration")]
public sealed class GitHubEmulatorGitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> SeedAsync(TestGit git, EmulatedRepository repository, params string[] branches)
    {
        var work = await git.CreateWorkRepositoryAsync("seed-" + repository.Id, branches);
        await git.RunCheckedAsync(work, "push", "--quiet", repository.BareDirectory, "refs/heads/*:refs/heads/*");
        return (await git.RunCheckedAsync(work, "rev-parse", "HEAD")).Trim();
    }

    [Fact]
    public async Task Clone_PublicRepositoryAnonymously_SucceedsAndCountsUploadPack()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "hello-world");
        using var git = new TestGit();
        await SeedAsync(git, repository, "main");

        await git.RunCheckedAsync(null, "clone", "--quiet", "--mirror", repository.CloneUrl.ToString(), Path.Combine(git.Root, "mirror.git"));

        Assert.Equal(1, github.UploadPackCount("octocat/hello-world"));
    }

    [Fact]
    public async Task LsRemote_PrivateRepository_NeedsToken()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "secret", isPrivate: true);
        using var git = new TestGit();
        await SeedAsync(git, repository, "main");
        var url = repository.CloneUrl.ToString();
        var basic = new UriBuilder(repository.CloneUrl) { UserName = "x-access-token", Password = github.Token }.Uri.ToString();
        var badBasic = new UriBuilder(repository.CloneUrl) { UserName = "x-access-token", Password = "ghp_wrong" }.Uri.ToString();

        var anonymous = await git.RunAsync(null, "ls-remote", url);
        var badToken = await git.RunAsync(null, "ls-remote", badBasic);
        var withBasic = await git.RunAsync(null, "ls-remote", basic);
        var withBearer = await git.RunAsync(null, "-c", TestGit.BearerHeader(github.Token), "ls-remote", url);

        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.NotEqual(0, badToken.ExitCode);
        Assert.Contains("Authentication failed", badToken.Error, StringComparison.Ordinal);
        Assert.Equal(0, withBasic.ExitCode);
        Assert.Contains("refs/heads/main", withBasic.Output, StringComparison.Ordinal);
        Assert.Equal(0, withBearer.ExitCode);
    }

    [Fact]
    public async Task InfoRefs_PrivateRepositoryAnonymous_Returns401WithGitHubChallenge()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        github.CreateRepository("octocat", "secret", isPrivate: true);
        using var client = new HttpClient { BaseAddress = github.BaseUrl };

        using var response = await client.GetAsync("octocat/secret.git/info/refs?service=git-upload-pack", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"GitHub\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Push_AnyRepository_IsRejected()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "hello-world");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "main");

        var push = await git.RunAsync(work, "-c", TestGit.BearerHeader(github.Token), "push", repository.CloneUrl.ToString(), "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("403", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LsRemote_OldNameAfterRename_StillWorks()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "old-name");
        using var git = new TestGit();
        await SeedAsync(git, repository, "main");
        var oldUrl = repository.CloneUrl.ToString();
        github.RenameRepository(repository.Id, "octocat", "new-name");

        var refs = await git.RunCheckedAsync(null, "ls-remote", oldUrl);

        Assert.Contains("refs/heads/main", refs, StringComparison.Ordinal);
        Assert.EndsWith("octocat/new-name.git", repository.CloneUrl.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LsRemote_PullRequestRef_IsAdvertised()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "with-prs");
        using var git = new TestGit();
        var sha = await SeedAsync(git, repository, "main");
        github.CreatePullRequestRef(repository.Id, 7, sha);

        var refs = await git.RunCheckedAsync(null, "ls-remote", repository.CloneUrl.ToString());

        Assert.Contains(sha + "\trefs/pull/7/head", refs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_DefaultBranchChanged_ChecksOutNewHead()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "renamed-branch", defaultBranch: "master");
        using var git = new TestGit();
        await SeedAsync(git, repository, "master", "main");
        github.SetDefaultBranch(repository.Id, "main");

        var clone = Path.Combine(git.Root, "clone");
        await git.RunCheckedAsync(null, "clone", "--quiet", repository.CloneUrl.ToString(), clone);

        Assert.Equal("main", (await git.RunCheckedAsync(clone, "symbolic-ref", "--short", "HEAD")).Trim());
        Assert.Equal("main", repository.DefaultBranch);
    }

    [Fact]
    public async Task CloneMirror_ManyBranches_HandlesGzipCompressedNegotiation()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "many-branches");
        using var git = new TestGit();
        var branches = Enumerable.Range(0, 60).Select(i => "branch-with-a-long-name-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await SeedAsync(git, repository, ["main", .. branches]);

        // More than 1 KB of "want" lines makes git gzip the upload-pack request body.
        await git.RunCheckedAsync(null, "clone", "--quiet", "--mirror", repository.CloneUrl.ToString(), Path.Combine(git.Root, "mirror.git"));
        var refs = await git.RunCheckedAsync(Path.Combine(git.Root, "mirror.git"), "for-each-ref", "--format=%(refname)", "refs/heads/");

        Assert.Equal(61, refs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
