using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>The two pushes to OneDev: the plan's updates with their archives (atomic), and the deletions (pruning).</summary>
internal sealed class MirrorPush(GitCli git, CacheCommands cache, ILogger<MirrorPush> logger)
{
    /// <summary>One atomic push: the old tips land under <c>refs/starsync/archive/</c> exactly when the rewrite lands.</summary>
    public async Task PushAsync(MirrorSession session, MirrorPlan plan, string repository, CancellationToken cancellationToken)
    {
        if (plan.PushRefSpecs.Count == 0)
        {
            return;
        }
        await RunAsync(session, ["--atomic"], plan.PushRefSpecs, "push to OneDev", cancellationToken);
        foreach (var archive in plan.Archives)
        {
            logger.Archived(repository, archive.Reason, archive.Ref, archive.ObjectId, archive.ArchiveRef);
        }
    }

    /// <summary>
    /// <c>--prune</c> with the heads and tags refspecs deletes only branches and tags GitHub no longer has; archive refs
    /// stay. Run it after the default branch moved: receive-pack refuses to delete the branch HEAD points at.
    /// </summary>
    public async Task PruneAsync(MirrorSession session, MirrorPlan plan, CancellationToken cancellationToken)
    {
        if (!plan.Prune)
        {
            return;
        }
        await RunAsync(session, ["--prune"], MirrorPlanner.RefSpecs, "delete stale refs in OneDev", cancellationToken);
    }

    private async Task RunAsync(
        MirrorSession session, IReadOnlyList<string> mode, IReadOnlyList<string> refSpecs, string operation, CancellationToken cancellationToken)
    {
        var invocation = new GitInvocation(
            "push", ["--porcelain", "--progress", "--force", .. mode, session.Target.Url, .. refSpecs], operation, session.Directory,
            session.Target.Credentials, session.Directory);
        var result = await git.RunAsync(invocation, cancellationToken);
        if (!result.Succeeded)
        {
            // --porcelain prints the per-ref verdicts ("!\trefs/heads/x:refs/heads/x\t[remote rejected] (...)") on stdout.
            var rejected = result.Output.Split('\n').Where(l => l.StartsWith('!'));
            throw await cache.FailureOfRemoteAsync(invocation, result.ExitCode, string.Join('\n', rejected.Append(result.Error)), cancellationToken);
        }
    }
}
