using System.Net;

namespace StarSync.Emulators.Tests;

[Trait("Category", "Integration")]
public sealed class OneDevEmulatorGitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Push_NewProject_BranchesListedAndReceivePackCounted()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var parent = await OneDevClient.CreateProjectAsync(client, "github");
        var id = await OneDevClient.CreateProjectAsync(client, "fastapi", parent);
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "main", "feature");

        await git.RunCheckedAsync(work, "-c", TestGit.BearerHeader(onedev.Token), "push", onedev.BaseUrl + "github/fastapi.git", "refs/heads/*:refs/heads/*");

        var branches = await client.GetStringAsync($"~api/repositories/{id}/branches", Ct);
        Assert.Equal("[ \"feature\", \"main\" ]", branches);
        Assert.Equal("main", await client.GetStringAsync($"~api/repositories/{id}/default-branch", Ct));
        Assert.Equal(1, onedev.ReceivePackCount("GitHub/FastAPI"));
        Assert.Equal(1, onedev.TotalReceivePacks);
    }

    [Fact]
    public async Task Push_WithoutMainBranch_LinksHeadToPushedBranch()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "legacy");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "master");

        // Basic auth with any user name and the token as password, like gickup's xyz:<token>.
        var url = new UriBuilder(onedev.BaseUrl) { UserName = "xyz", Password = onedev.Token, Path = "legacy" }.Uri;
        await git.RunCheckedAsync(work, "push", url.ToString(), "master");

        Assert.Equal("master", await client.GetStringAsync($"~api/repositories/{id}/default-branch", Ct));
    }

    [Fact]
    public async Task PushDelete_HeadBranch_IsRefusedUntilDefaultBranchMoves()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "renamed");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "master", "main");
        var remote = onedev.BaseUrl + "renamed.git";
        var auth = TestGit.BearerHeader(onedev.Token);
        await git.RunCheckedAsync(work, "-c", auth, "push", remote, "master");
        await git.RunCheckedAsync(work, "-c", auth, "push", remote, "main");

        var refused = await git.RunAsync(work, "-c", auth, "push", remote, ":master");
        using var setDefault = await client.PostAsync($"~api/repositories/{id}/default-branch", OneDevClient.JsonBody("\"main\""), Ct);
        var allowed = await git.RunAsync(work, "-c", auth, "push", remote, ":master");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("deletion of the current branch prohibited", refused.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, setDefault.StatusCode);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("[ \"main\" ]", await client.GetStringAsync($"~api/repositories/{id}/branches", Ct));
    }

    [Fact]
    public async Task GitHttp_Anonymous_Returns401WithBasicChallenge()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "private");
        using var anonymous = OneDevClient.Create(onedev);

        using var response = await anonymous.GetAsync("private.git/info/refs?service=git-upload-pack", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"OneDev\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("Authentication required", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task GitHttp_BadToken_Returns401WithoutChallenge()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "private");
        using var bad = OneDevClient.Create(onedev, "not-a-token");

        using var response = await bad.GetAsync("private.git/info/refs?service=git-upload-pack", Ct);
        using var git = new TestGit();
        var lsRemote = await git.RunAsync(null, "-c", TestGit.BearerHeader("not-a-token"), "ls-remote", onedev.BaseUrl + "private.git");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("Invalid account or incorrect credentials", await response.Content.ReadAsStringAsync(Ct));
        Assert.NotEqual(0, lsRemote.ExitCode);
    }

    [Fact]
    public async Task GitHttp_UnknownProjectAuthenticated_Returns404()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);

        using var response = await client.GetAsync("missing/project.git/info/refs?service=git-upload-pack", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Project not found or inaccessible: missing/project", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task LsRemoteAndClone_CaseInsensitivePathWithoutGitSuffix_SeesPushedRefsAndCountsUploadPack()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "Mirror");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "main");
        var auth = TestGit.BearerHeader(onedev.Token);
        await git.RunCheckedAsync(work, "-c", auth, "push", onedev.BaseUrl + "mirror.git", "main", "main:refs/pull/1/head");

        var refs = await git.RunCheckedAsync(null, "-c", auth, "ls-remote", onedev.BaseUrl + "MIRROR");
        await git.RunCheckedAsync(null, "-c", auth, "clone", "--quiet", onedev.BaseUrl + "Mirror.git", Path.Combine(git.Root, "clone"));

        Assert.Contains("refs/heads/main", refs, StringComparison.Ordinal);
        Assert.Contains("refs/pull/1/head", refs, StringComparison.Ordinal); // OneDev accepts any ref namespace
        Assert.True(File.Exists(Path.Combine(git.Root, "clone", "main.txt")));
        Assert.Equal(1, onedev.UploadPackCount("mirror"));
    }

    [Fact]
    public async Task FailNextGitRequests_One_PushFailsThenSucceeds()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "flaky");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "main");
        var auth = TestGit.BearerHeader(onedev.Token);
        onedev.FailNextGitRequests(1, 503);

        var failed = await git.RunAsync(work, "-c", auth, "push", onedev.BaseUrl + "flaky.git", "main");
        var succeeded = await git.RunAsync(work, "-c", auth, "push", onedev.BaseUrl + "flaky.git", "main");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal(0, succeeded.ExitCode);
        Assert.Equal(1, onedev.ReceivePackCount("flaky"));
    }

    [Fact]
    public async Task Push_LargePack_IsStreamedChunked()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "large");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("work", "main");
        var random = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(random);
        await File.WriteAllBytesAsync(Path.Combine(work, "blob.bin"), random, Ct);
        await git.RunCheckedAsync(work, "add", ".");
        await git.RunCheckedAsync(work, "commit", "--quiet", "-m", "large");

        await git.RunCheckedAsync(work, "-c", TestGit.BearerHeader(onedev.Token), "push", onedev.BaseUrl + "large.git", "main");

        var local = (await git.RunCheckedAsync(work, "rev-parse", "HEAD")).Trim();
        var remote = (await git.RunCheckedAsync(onedev.RepositoryPath("large"), "rev-parse", "refs/heads/main")).Trim();
        Assert.Equal(local, remote);
        Assert.Equal("[ \"main\" ]", await client.GetStringAsync($"~api/repositories/{id}/branches", Ct));
    }
}
