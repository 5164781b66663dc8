using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// Fetches GitHub's heads and tags into the cache's own heads and tags (forced and pruned, so the cache holds
/// exactly GitHub's refs there) and lists what arrived.
/// </summary>
internal sealed class UpstreamFetch(CacheCommands cache, ILogger<UpstreamFetch> logger)
{
    public async Task<RefSnapshot> FetchAsync(MirrorSession session, string repository, CancellationToken cancellationToken)
    {
        await cache.RunRemoteAsync(new GitInvocation(
            "fetch",
            ["--prune", "--no-tags", "--progress", "--no-write-fetch-head", session.Source.Url, .. MirrorPlanner.RefSpecs.Select(s => "+" + s)],
            "fetch from GitHub",
            session.Directory,
            session.Source.Credentials,
            session.Directory), cancellationToken);
        var source = RefSnapshot.Parse((await cache.RunLocalAsync(new GitInvocation(
            "for-each-ref", ["--format=%(objectname) %(refname)", "refs/heads/", "refs/tags/"], "list the fetched refs", session.Directory,
            GitDirectory: session.Directory), cancellationToken)).Output);
        logger.Fetched(repository, source.Branches, source.Tags);
        return source;
    }
}
