using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;
using StarSync.GitWorker.Mirroring;
using StarSync.OneDev;

namespace StarSync.GitWorker;

/// <summary>
/// One mirror run over the repository's persistent cache (<see cref="MirrorCache"/>, keyed by GitHub id). The
/// decisions are <see cref="MirrorPlanner"/>'s; this class gathers the facts it needs and carries out its answers
/// with one small git step each: compare GitHub's and OneDev's branches and tags (<see cref="RemoteRefs"/>) and stop
/// when they are equal; otherwise seed a cold cache from OneDev (<see cref="CacheSeed"/>), fetch from GitHub
/// (<see cref="UpstreamFetch"/>), plan, apply the mirror's build spec policy (<see cref="BuildSpecGuard"/>) to the
/// refs the push would create or move, copy Git LFS objects (<see cref="LfsCopy"/>), push the updates with their
/// archive refs (<see cref="MirrorPush"/>), point OneDev's default branch at GitHub's
/// (<see cref="OneDevDefaultBranch"/>), delete what GitHub no longer has, and verify (<see cref="MirrorVerification"/>).
/// Git failures surface as <see cref="GitException"/>, OneDev REST failures as <see cref="OneDevException"/>,
/// cancellation as <see cref="OperationCanceledException"/>. A corrupt cache (judged by <see cref="CacheCommands"/>) is
/// deleted and rebuilt once. The fetch URL is the one GitHub's API gives for the repository's id at the start of the
/// run (<see cref="UpstreamRepository"/>), never the recorded one, so a name that now belongs to another repository is
/// never fetched.
/// </summary>
internal sealed class RepositoryMirror(
    MirrorCache cache,
    CacheCommands cacheCommands,
    RemoteRefs remoteRefs,
    CacheSeed seed,
    UpstreamFetch fetch,
    FastForwardCheck fastForwards,
    BuildSpecGuard buildSpecs,
    LfsCopy lfs,
    MirrorPush push,
    OneDevDefaultBranch defaultBranch,
    MirrorVerification verification,
    UpstreamRepository upstreamRepository,
    GitHubTokenProvider gitHubTokens,
    IOptions<OneDevOptions> oneDevOptions,
    IOptions<GitWorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<RepositoryMirror> logger)
{
    public async Task<MirrorOutcome> RunAsync(MirrorRepository command, CancellationToken cancellationToken)
    {
        var repository = await upstreamRepository.ResolveAsync(command.Repository, cancellationToken);
        using var lease = await cache.AcquireAsync(repository.Id, cancellationToken);
        try
        {
            return await SyncAsync(command, repository, lease.Directory, cancellationToken);
        }
        catch (CacheCorruptException ex)
        {
            logger.CacheCorrupt(repository.FullName, lease.Directory, ex.Message);
            lease.Delete();
            try
            {
                return await SyncAsync(command, repository, lease.Directory, cancellationToken);
            }
            catch (CacheCorruptException again)
            {
                throw new GitException(new GitFailure($"the rebuilt cache is corrupt again: {again.Message}", Transient: true));
            }
        }
    }

    private async Task<MirrorOutcome> SyncAsync(MirrorRepository command, GitHubRepository repository, string directory, CancellationToken cancellationToken)
    {
        var name = repository.FullName;
        var session = await SessionAsync(command, repository, directory, cancellationToken);
        await cacheCommands.OpenAsync(directory, cancellationToken);

        // Cheap comparison first: two ref advertisements, no pack.
        var upstream = await remoteRefs.ListAsync(session, session.Source, "fetch from GitHub", cancellationToken);
        var mirror = await remoteRefs.ListAsync(session, session.Target, "list the mirror's refs", cancellationToken);
        var fetchPlan = MirrorPlanner.Compare(upstream, mirror);
        if (fetchPlan.UpToDate)
        {
            await defaultBranch.EnsureAsync(command.OneDevProjectId, await DefaultBranchAsync(session, repository, upstream, cancellationToken), cancellationToken);
            logger.Unchanged(name, upstream.Branches, upstream.Tags);
            return new MirrorOutcome(upstream.Branches, upstream.Tags, Pushed: false) { Repository = repository };
        }

        EnsureDiskSpace(repository);
        await seed.SeedAsync(session, fetchPlan, name, cancellationToken);
        var source = await fetch.FetchAsync(session, name, cancellationToken);
        var plan = MirrorPlanner.Plan(
            source,
            mirror,
            await DefaultBranchAsync(session, repository, source, cancellationToken),
            await fastForwards.FastForwardsAsync(session, MirrorPlanner.MovedBranches(source, mirror), cancellationToken),
            time.GetUtcNow());
        // Before anything (LFS objects included) goes to OneDev: a build spec among the new tips may not be pushed.
        var buildSpecRefs = await buildSpecs.CheckAsync(command, name, plan.Updates, directory, cancellationToken);
        var lfsObjects = await lfs.CopyAsync(session, plan.BranchTips, name, cancellationToken);
        if (plan.UpToDate)
        {
            // GitHub moved back between the comparison and the fetch: nothing to push after all.
            await defaultBranch.EnsureAsync(command.OneDevProjectId, plan.DefaultBranch, cancellationToken);
            logger.NothingToPush(name, source.Branches, source.Tags);
            return new MirrorOutcome(source.Branches, source.Tags, Pushed: false, LfsObjects: lfsObjects) { Repository = repository };
        }

        await push.PushAsync(session, plan, name, cancellationToken);
        await defaultBranch.EnsureAsync(command.OneDevProjectId, plan.DefaultBranch, cancellationToken);
        await push.PruneAsync(session, plan, cancellationToken);
        await verification.VerifyAsync(session, source, cancellationToken);
        logger.Pushed(name, plan.Updates.Count, plan.Deletions.Count);
        return new MirrorOutcome(
            source.Branches, source.Tags, Pushed: true, plan.Archives.Count == 0 ? null : [.. plan.Archives.Select(a => a.ArchiveRef)], lfsObjects)
        {
            Repository = repository,
            BuildSpecRefs = buildSpecRefs.Count == 0 ? null : buildSpecRefs,
        };
    }

    private async Task<MirrorSession> SessionAsync(
        MirrorRepository command, GitHubRepository repository, string directory, CancellationToken cancellationToken)
    {
        var sourceUrl = repository.CloneUrl;
        var token = await gitHubTokens.GetInstallationTokenAsync(cancellationToken);
        GitCredential[] sourceCredentials = GitCredential.GitHub(sourceUrl, token) is { } credential ? [credential] : [];
        GitCredential[] targetCredentials = [GitCredential.Bearer(command.OneDevGitUrl, oneDevOptions.Value.Token)];
        return new MirrorSession(directory, new GitRemote(sourceUrl, sourceCredentials), new GitRemote(command.OneDevGitUrl, targetCredentials));
    }

    private async Task<string?> DefaultBranchAsync(
        MirrorSession session, GitHubRepository repository, RefSnapshot source, CancellationToken cancellationToken) =>
        MirrorPlanner.DefaultBranch(await remoteRefs.SourceHeadAsync(session, cancellationToken), repository.DefaultBranch, source);

    private void EnsureDiskSpace(GitHubRepository repository)
    {
        var root = cache.Root;
        Directory.CreateDirectory(root);
        if (DiskSpace.Shortage(repository.FullName, repository.SizeKb, workerOptions.Value.MinimumFreeDiskBytes, DiskSpace.AvailableBytes(root), root) is
            { } reason)
        {
            throw new GitException(new GitFailure(reason, Transient: true));
        }
    }
}
