using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// When the cache lacks any tip the mirror has (a cold cache, a cache lost or behind another worker), fetches the
/// mirror's heads and tags from OneDev into <c>refs/starsync/mirror/</c>. The nearby server sends the bulk; GitHub
/// then negotiates against these objects and sends only the delta. It also puts the old tips where
/// <c>merge-base --is-ancestor</c> can see them.
/// </summary>
internal sealed class CacheSeed(CacheCommands cache, ILogger<CacheSeed> logger)
{
    private const string Prefix = "refs/starsync/mirror/";

    public async Task SeedAsync(MirrorSession session, FetchPlan plan, string repository, CancellationToken cancellationToken)
    {
        if (plan.MirrorTips.Count == 0)
        {
            return;
        }
        var known = (await cache.RunLocalAsync(new GitInvocation(
                "for-each-ref", ["--format=%(objectname)"], "list the cache's refs", session.Directory, GitDirectory: session.Directory), cancellationToken))
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        if (!plan.NeedsSeed(known))
        {
            return;
        }
        await cache.RunRemoteAsync(new GitInvocation(
            "fetch",
            ["--prune", "--no-tags", "--progress", "--no-write-fetch-head", session.Target.Url,
                $"+refs/heads/*:{Prefix}heads/*", $"+refs/tags/*:{Prefix}tags/*"],
            "seed the cache from OneDev",
            session.Directory,
            session.Target.Credentials,
            session.Directory), cancellationToken);
        logger.CacheSeeded(repository, plan.MirrorRefs);
    }
}
