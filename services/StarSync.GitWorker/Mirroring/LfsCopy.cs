using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// Copies Git LFS objects from GitHub to OneDev through the cache, when the repository uses Git LFS: before the refs
/// that point at the objects are pushed. git-lfs reads the same environment-only <c>http.&lt;origin&gt;.extraHeader</c>.
/// </summary>
internal sealed class LfsCopy(GitCli git, CacheCommands cache, ILogger<LfsCopy> logger)
{
    /// <summary>How many LFS objects the cache holds after the copy, or null when no branch tip uses Git LFS.</summary>
    public async Task<int?> CopyAsync(MirrorSession session, IReadOnlyList<string> branchTips, string repository, CancellationToken cancellationToken)
    {
        if (!await UsesLfsAsync(branchTips, session.Directory, cancellationToken))
        {
            return null;
        }
        await cache.RunRemoteAsync(new GitInvocation(
            "lfs", ["fetch", "--all", session.Source.Url], "fetch Git LFS objects from GitHub", session.Directory, session.Source.Credentials, session.Directory),
            cancellationToken);
        await cache.RunRemoteAsync(new GitInvocation(
            "lfs", ["push", "--all", session.Target.Url], "push Git LFS objects to OneDev", session.Directory, session.Target.Credentials, session.Directory),
            cancellationToken);
        var store = Path.Combine(session.Directory, "lfs", "objects");
        var count = Directory.Exists(store)
            ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(f).Length == 64)
            : 0;
        logger.LfsCopied(repository, count);
        return count;
    }

    /// <summary>Cheap detection: does a <c>.gitattributes</c> at any branch tip mention <c>filter=lfs</c>?</summary>
    private async Task<bool> UsesLfsAsync(IReadOnlyList<string> branchTips, string directory, CancellationToken cancellationToken)
    {
        foreach (var chunk in branchTips.Chunk(100))
        {
            List<string> arguments = ["grep", "--quiet", "--fixed-strings", "-e", "filter=lfs", .. chunk, "--", ".gitattributes", ":(glob)**/.gitattributes"];
            var result = await git.RunAsync(new GitInvocation(arguments[0], arguments[1..], "look for Git LFS", directory, GitDirectory: directory), cancellationToken);
            if (result.ExitCode == 0)
            {
                return true;
            }
            if (result.ExitCode != 1)
            {
                throw CacheCorruption.LocalFailure("look for Git LFS", result);
            }
        }
        return false;
    }
}
