using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.DependencyInjection;

using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;
using StarSync.Testing;

using TestGit = StarSync.Testing.Git;

namespace StarSync.GitWorker.Tests;

[Trait("Category", "Integration")]
public sealed class RepositoryMirrorTests : IAsyncLifetime
{
    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task BranchesAndTags_AreMirroredExactly_WithoutPullRequestRefs()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "widgets", Ct);
        await source.CreateTagAsync("v1.0", "main", annotated: true);
        await source.CreateTagAsync("light", "main");
        await source.CommitAsync("develop", "a.txt", "a", "Work on develop");
        await source.CreateTagAsync("v1.1-rc", "develop", annotated: true);
        var feature = await source.CommitAsync("feature/x", "b.txt", "b", "Work on feature/x");
        _env.GitHub.CreatePullRequestRef(repository.Id, 7, feature);
        _env.GitHub.SetDefaultBranch(repository.Id, "develop");
        var command = await _env.CreateTargetAsync(repository, Ct);

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.Equal(new MirrorOutcome(Branches: 3, Tags: 3, Pushed: true), outcome with { Repository = null });
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.Equal("", await _env.MirrorRefsOutsideHeadsAndTagsAsync(repository));
        Assert.Equal("develop", await _env.MirrorHeadAsync(repository));
    }

    [Fact]
    public async Task SecondRun_WithUnchangedSource_PushesNothing()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "stable", Ct);
        await source.CreateTagAsync("v1", "main", annotated: true);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        Assert.True((await mirror.RunAsync(command, Ct)).Pushed);
        var pushes = _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository));

        var second = await mirror.RunAsync(command, Ct);

        Assert.Equal(new MirrorOutcome(Branches: 1, Tags: 1, Pushed: false), second with { Repository = null });
        Assert.Equal(pushes, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository)));
    }

    [Fact]
    public async Task UpstreamBranchAndTagDeleted_AreDeletedInMirror()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "pruned", Ct);
        await source.CommitAsync("old-feature", "f.txt", "f", "Work on old-feature");
        await source.CreateTagAsync("old-tag", "old-feature");
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        Assert.Contains("refs/heads/old-feature", (await _env.MirrorRefsAsync(command, Ct)).Keys);

        await source.DeleteBranchAsync("old-feature");
        await source.DeleteTagAsync("old-tag");
        await source.RewriteBranchAsync("main", "force-pushed");
        var outcome = await mirror.RunAsync(command, Ct);

        Assert.Equal((1, 0, true), (outcome.Branches, outcome.Tags, outcome.Pushed));
        // The deleted branch and tag and the rewritten main keep their old tips under refs/starsync/archive/.
        Assert.Equal(
            ["refs/starsync/archive/heads/main/", "refs/starsync/archive/heads/old-feature/", "refs/starsync/archive/tags/old-tag/"],
            (outcome.ArchivedRefs ?? []).Select(r => r[..(r.LastIndexOf('/') + 1)]).Order(StringComparer.Ordinal));
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
    }

    [Fact]
    public async Task DefaultBranchRenamedUpstream_MirrorsMainAndDeletesMaster()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "renamed", Ct, initialBranch: "master");
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        Assert.Equal("master", await _env.MirrorHeadAsync(repository));

        // GitHub's rename: main appears at master's tip, HEAD moves to it, master disappears.
        var tip = (await TestGit.RunAsync(source.Path, "rev-parse", "refs/heads/master")).Trim();
        await TestGit.RunAsync(source.Path, "update-ref", "refs/heads/main", tip);
        _env.GitHub.SetDefaultBranch(repository.Id, "main");
        await source.DeleteBranchAsync("master");
        // The command still carries the old default branch, as a command queued before the rename would.
        var outcome = await mirror.RunAsync(command, Ct);

        Assert.Equal((1, 0, true), (outcome.Branches, outcome.Tags, outcome.Pushed));
        Assert.StartsWith("refs/starsync/archive/heads/master/", Assert.Single(outcome.ArchivedRefs ?? []), StringComparison.Ordinal);
        var refs = await _env.MirrorRefsAsync(command, Ct);
        Assert.Equal(["refs/heads/main"], refs.Keys);
        Assert.Equal(await source.GetRefsAsync(), refs);
        Assert.Equal("main", await _env.MirrorHeadAsync(repository));
    }

    [Fact]
    public async Task WrongOneDevToken_FailsPermanently_WithoutTheTokenInReasonOrLogs()
    {
        const string wrongToken = "0123456789abcdef0123456789abcdef01234567";
        var (repository, _) = await _env.CreateSourceAsync("octo", "denied", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror(new Dictionary<string, string?> { ["OneDev:Token"] = wrongToken });

        var failure = (await Assert.ThrowsAsync<GitException>(() => mirror.RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.False(failure.Transient, failure.Reason);
        Assert.DoesNotContain(wrongToken, failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongToken, _env.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(_env.GitHub.Token, _env.Logs.All, StringComparison.Ordinal);
        Assert.Equal(0, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository)));
    }

    [Fact]
    public async Task PrivateSourceWithoutGitHubToken_FailsPermanently()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "private", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror(new Dictionary<string, string?> { ["GitHub:Token"] = "" });

        var failure = (await Assert.ThrowsAsync<GitException>(() => mirror.RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        // GitHub answers 404 for a private repository the caller cannot see: the mirror is kept and nothing fetched.
        Assert.False(failure.Transient, failure.Reason);
        Assert.Equal("deleted", failure.UpstreamGone);
        Assert.EndsWith("no longer exists on GitHub (or the token can no longer see it); the mirror is kept as it was", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _env.GitHub.UploadPackCount(repository.FullName));
    }

    [Fact]
    public async Task PrivateSourceWithGitHubApp_IsFetchedWithAnInstallationToken()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        _env.GitHub.EnableApp(4242, key, 777);
        var (repository, _) = await _env.CreateSourceAsync("octo", "app-private", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror(new Dictionary<string, string?>
        {
            ["GitHub:Token"] = null,
            ["GitHub:ApiUrl"] = _env.GitHub.ApiUrl.ToString(),
            ["GitHub:AppId"] = "4242",
            ["GitHub:AppPrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
            ["GitHub:InstallationId"] = "777",
        });

        var outcome = await mirror.RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(1, _env.GitHub.InstallationTokensIssued);
    }

    [Fact]
    public async Task PublicSourceWithoutGitHubToken_IsMirrored()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "public", Ct, isPrivate: false);
        var command = await _env.CreateTargetAsync(repository, Ct);

        var outcome = await Mirror(new Dictionary<string, string?> { ["GitHub:Token"] = null }).RunAsync(command, Ct);

        Assert.Equal(new MirrorOutcome(Branches: 1, Tags: 0, Pushed: true), outcome with { Repository = null });
    }

    [Fact]
    public async Task UnreachableGitHubApi_FailsTransientlyWithoutFetching()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "offline", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror(new Dictionary<string, string?> { ["GitHub:ApiUrl"] = $"http://127.0.0.1:{FreePort.Next()}/" });

        var failure = (await Assert.ThrowsAsync<GitException>(() => mirror.RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.True(failure.Transient, failure.Reason);
        Assert.StartsWith($"could not confirm GitHub repository #{repository.Id} (last known as octo/offline) by its id", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _env.GitHub.UploadPackCount(repository.FullName));
        Assert.DoesNotContain("ARG ls-remote", _env.SpyOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableMirror_FailsTransiently()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "offline", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var unreachable = command with { OneDevGitUrl = $"http://127.0.0.1:{FreePort.Next()}/github/octo/offline.git" };

        var failure = (await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(unreachable, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.True(failure.Transient, failure.Reason);
        Assert.Contains("could not connect", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_NeverAppearInArgumentsOrRepositoryFiles()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "secret", Ct);
        await source.CommitAsync("gone", "g.txt", "g", "Work on gone");
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        await source.DeleteBranchAsync("gone");
        await mirror.RunAsync(command, Ct);

        var spy = _env.SpyOutput;
        Assert.Contains("ARG fetch", spy, StringComparison.Ordinal);
        Assert.Contains("ARG push", spy, StringComparison.Ordinal);
        Assert.Contains("ARG --prune", spy, StringComparison.Ordinal);
        Assert.Contains("FILE ", spy, StringComparison.Ordinal);
        Assert.DoesNotContain("ARG --mirror", spy, StringComparison.Ordinal);
        Assert.DoesNotContain(_env.OneDev.Token, spy, StringComparison.Ordinal);
        Assert.DoesNotContain(_env.GitHub.Token, spy, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", spy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_env.OneDev.Token, _env.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkDirectory_IsRemovedAfterSuccessAndAfterFailure()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "tidy", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        await Mirror().RunAsync(command, Ct);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));

        var broken = command with { OneDevGitUrl = $"http://127.0.0.1:{FreePort.Next()}/x/y.git" };
        await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(broken, Ct));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));
    }

    [Fact]
    public async Task Cancellation_KillsGitAndRemovesWorkDirectory()
    {
        // A "OneDev" that accepts connections and never answers: listing the mirror's refs hangs until cancelled.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync(Ct).AsTask();
        var (repository, _) = await _env.CreateSourceAsync("octo", "hangs", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        command = command with { OneDevGitUrl = $"http://127.0.0.1:{port}/github/octo/hangs.git" };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = Mirror().RunAsync(command, cancel.Token);
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3010]", StringComparison.Ordinal));
    }

    private RepositoryMirror Mirror(IDictionary<string, string?>? settings = null) =>
        _env.BuildServices(settings).GetRequiredService<RepositoryMirror>();
}
