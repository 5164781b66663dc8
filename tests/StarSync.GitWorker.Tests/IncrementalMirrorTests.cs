using System.Security.Cryptography;

using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;

using TestGit = StarSync.Testing.Git;

namespace StarSync.GitWorker.Tests;

[Trait("Category", "Integration")]
public sealed class IncrementalMirrorTests : IAsyncLifetime
{
    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task UnchangedRefresh_TransfersNoPackAndPushesNothing()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "quiet", Ct);
        await source.CreateTagAsync("v1", "main", annotated: true);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        Assert.True((await mirror.RunAsync(command, Ct)).Pushed);
        var fetches = _env.GitHub.UploadPackCount(repository.FullName);
        var pushes = _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository));

        var outcome = await mirror.RunAsync(command, Ct);

        Assert.Equal(new MirrorOutcome(Branches: 1, Tags: 1, Pushed: false), outcome with { Repository = null });
        Assert.Equal(fetches, _env.GitHub.UploadPackCount(repository.FullName));
        Assert.Equal(pushes, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository)));
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3017]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewUpstreamCommit_ReachesOneDevOnRefresh_WithoutArchiving()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "growing", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);

        await source.CommitAsync("main", "next.txt", "next", "Next commit");
        var outcome = await mirror.RunAsync(command, Ct);

        Assert.Equal(new MirrorOutcome(Branches: 1, Tags: 0, Pushed: true), outcome with { Repository = null });
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.DoesNotContain("refs/starsync/", await _env.MirrorLsRemoteAllAsync(command, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForcePushedBranchAndMovedTag_KeepOldTipsUnderArchiveRefs()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "rewritten", Ct);
        await source.CreateTagAsync("v1", "main", annotated: true);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        var oldRefs = await source.GetRefsAsync();
        var oldTip = oldRefs["refs/heads/main"];
        var oldTag = oldRefs["refs/tags/v1"];

        await source.RewriteBranchAsync("main", "amended");
        await source.DeleteTagAsync("v1");
        await source.CreateTagAsync("v1", "main", annotated: true);
        var outcome = await mirror.RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.NotNull(outcome.ArchivedRefs);
        Assert.Equal(2, outcome.ArchivedRefs.Count);
        var branchArchive = Assert.Single(outcome.ArchivedRefs, r => r.StartsWith("refs/starsync/archive/heads/main/", StringComparison.Ordinal));
        var tagArchive = Assert.Single(outcome.ArchivedRefs, r => r.StartsWith("refs/starsync/archive/tags/v1/", StringComparison.Ordinal));
        Assert.Matches(@"^refs/starsync/archive/heads/main/\d{8}T\d{6}Z-[0-9a-f]{12}$", branchArchive);
        Assert.EndsWith("-" + oldTip[..12], branchArchive, StringComparison.Ordinal);
        var remote = await _env.MirrorLsRemoteAllAsync(command, Ct);
        Assert.Contains($"{oldTip}\t{branchArchive}", remote, StringComparison.Ordinal);
        Assert.Contains($"{oldTag}\t{tagArchive}", remote, StringComparison.Ordinal);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3012]", StringComparison.Ordinal) && l.Contains(branchArchive, StringComparison.Ordinal));

        // A later unchanged refresh neither prunes the archive refs nor counts them as differences.
        var again = await mirror.RunAsync(command, Ct);
        Assert.False(again.Pushed);
        Assert.Contains(branchArchive, await _env.MirrorLsRemoteAllAsync(command, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedUpstreamBranch_IsDeletedInOneDevAndArchived()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "shrinking", Ct);
        var featureTip = await source.CommitAsync("feature/x", "x.txt", "x", "Work on feature/x");
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);

        await source.DeleteBranchAsync("feature/x");
        var outcome = await mirror.RunAsync(command, Ct);

        var archive = Assert.Single(outcome.ArchivedRefs ?? []);
        Assert.StartsWith("refs/starsync/archive/heads/feature/x/", archive, StringComparison.Ordinal);
        var refs = await _env.MirrorRefsAsync(command, Ct);
        Assert.DoesNotContain("refs/heads/feature/x", refs.Keys);
        Assert.Equal(await source.GetRefsAsync(), refs);
        Assert.Contains($"{featureTip}\t{archive}", await _env.MirrorLsRemoteAllAsync(command, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ColdCacheOnSecondWorker_SeedsFromOneDev_AndFetchesOnlyTheDeltaFromGitHub()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "bulky", Ct);
        await source.CommitAsync("main", "blob.txt", Convert.ToBase64String(RandomNumberGenerator.GetBytes(1536 * 1024)), "Add a large file");
        var command = await _env.CreateTargetAsync(repository, Ct);
        await Mirror().RunAsync(command, Ct);
        var fullFetchBytes = _env.GitHub.UploadPackBytes(repository.FullName);
        await source.CommitAsync("main", "small.txt", "small", "A small change");
        var seedsBefore = _env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository));
        var bytesBefore = _env.GitHub.UploadPackBytes(repository.FullName);

        var secondWorker = Mirror(new Dictionary<string, string?> { ["GitWorker:CacheDirectory"] = _env.CreateDirectory("second-cache") });
        var outcome = await secondWorker.RunAsync(command, Ct);

        var deltaBytes = _env.GitHub.UploadPackBytes(repository.FullName) - bytesBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"full fetch: {fullFetchBytes} bytes; cold-cache refresh: {deltaBytes} bytes");
        Assert.True(outcome.Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.True(fullFetchBytes > 1_000_000, $"the full fetch sent {fullFetchBytes} bytes");
        Assert.True(deltaBytes * 20 < fullFetchBytes, $"the cold-cache refresh took {deltaBytes} bytes from GitHub, the full fetch {fullFetchBytes}");
        Assert.True(_env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository)) > seedsBefore, "the cache was not seeded from OneDev");
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3013]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenamedRepository_ReusesTheSameCache()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "old-name", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        var seeds = _env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository));

        _env.GitHub.RenameRepository(repository.Id, "octo", "new-name");
        await source.CommitAsync("main", "after.txt", "after", "After the rename");
        var renamed = repository with
        {
            Name = "new-name",
            FullName = "octo/new-name",
            CloneUrl = _env.GitHub.Repository(repository.Id).CloneUrl.ToString(),
        };
        var outcome = await mirror.RunAsync(command with { Repository = renamed }, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.Equal([$"{repository.Id}.git"], Directory.GetDirectories(_env.CacheDirectory).Select(Path.GetFileName));
        // A warm cache needs no seeding from OneDev.
        Assert.Equal(seeds, _env.OneDev.UploadPackCount(MirrorEnvironment.TargetPath(repository)));
    }

    [Fact]
    public async Task CorruptCache_IsDeletedAndRebuilt()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "damaged", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror();
        await mirror.RunAsync(command, Ct);
        var cacheRepository = Path.Combine(_env.CacheDirectory, $"{repository.Id}.git");
        await File.WriteAllTextAsync(Path.Combine(cacheRepository, "HEAD"), "garbage\n", Ct);

        await source.CommitAsync("main", "later.txt", "later", "Later");
        var outcome = await mirror.RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3014]", StringComparison.Ordinal));
        Assert.StartsWith("ref: refs/heads/", await File.ReadAllTextAsync(Path.Combine(cacheRepository, "HEAD"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLittleFreeDiskSpace_FailsTransiently_NamingNeededAndAvailableSpace()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "roomy", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var mirror = Mirror(new Dictionary<string, string?> { ["GitWorker:MinimumFreeDiskBytes"] = (long.MaxValue / 4).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var failure = (await Assert.ThrowsAsync<GitException>(() => mirror.RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.True(failure.Transient, failure.Reason);
        Assert.StartsWith("not enough free disk space to mirror octo/roomy: needs ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains(" is available on the cache volume", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _env.GitHub.UploadPackCount(repository.FullName));
        Assert.Equal(0, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository)));
    }

    [Fact]
    public async Task LfsRepository_ArrivesInOneDevWithItsObjects_WithoutTokensInArgumentsOrFiles()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "media", Ct);
        await source.CommitAsync("main", ".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n", "Track *.bin with Git LFS");
        var scratch = _env.CreateDirectory("lfs-scratch");
        foreach (var (name, size) in new[] { ("a.bin", 40_000), ("b.bin", 70_000) })
        {
            var content = RandomNumberGenerator.GetBytes(size);
            var file = Path.Combine(scratch, name);
            await File.WriteAllBytesAsync(file, content, Ct);
            // The real git-lfs writes the pointer; the object goes into the GitHub emulator's LFS store.
            var pointer = await TestGit.RunAsync(scratch, "lfs", "pointer", $"--file={file}");
            var oid = _env.GitHub.AddLfsObject(repository.Id, content);
            Assert.Contains($"oid sha256:{oid}", pointer, StringComparison.Ordinal);
            await source.CommitAsync("main", name, pointer, $"Add {name}");
        }
        var command = await _env.CreateTargetAsync(repository, Ct);

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(2, outcome.LfsObjects);
        Assert.Equal(2, _env.OneDev.LfsObjectCount(MirrorEnvironment.TargetPath(repository)));
        Assert.Equal(await source.GetRefsAsync(), await _env.MirrorRefsAsync(command, Ct));
        var spy = _env.SpyOutput;
        Assert.Contains("ARG lfs", spy, StringComparison.Ordinal);
        Assert.DoesNotContain(_env.GitHub.Token, spy, StringComparison.Ordinal);
        Assert.DoesNotContain(_env.OneDev.Token, spy, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", spy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_env.GitHub.Token, _env.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepositoryWithoutLfs_ReportsNoLfsObjects()
    {
        var (repository, _) = await _env.CreateSourceAsync("octo", "plain", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.Null(outcome.LfsObjects);
        Assert.DoesNotContain("ARG lfs", _env.SpyOutput, StringComparison.Ordinal);
    }

    private RepositoryMirror Mirror(IDictionary<string, string?>? settings = null) =>
        _env.BuildServices(settings).GetRequiredService<RepositoryMirror>();
}
