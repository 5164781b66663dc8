using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>Asks the cache which moved branches are fast-forwards (<c>merge-base --is-ancestor old new</c>).</summary>
internal sealed class FastForwardCheck(GitCli git)
{
    /// <summary>The refs of <paramref name="moves"/> whose old tip is an ancestor of the new one.</summary>
    public async Task<IReadOnlySet<string>> FastForwardsAsync(MirrorSession session, IReadOnlyList<TipMove> moves, CancellationToken cancellationToken)
    {
        var fastForwards = new HashSet<string>(StringComparer.Ordinal);
        foreach (var move in moves)
        {
            if (await IsAncestorAsync(move.OldId, move.NewId, session.Directory, cancellationToken))
            {
                fastForwards.Add(move.Ref);
            }
        }
        return fastForwards;
    }

    private async Task<bool> IsAncestorAsync(string ancestor, string descendant, string directory, CancellationToken cancellationToken)
    {
        var invocation = new GitInvocation("merge-base", ["--is-ancestor", ancestor, descendant], "compare old and new tips", directory, GitDirectory: directory);
        var result = await git.RunAsync(invocation, cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ when CacheCorruption.IsCorruption(result.Error) => throw new CacheCorruptException(result.Error.Trim()),
            _ => throw new GitException(GitFailure.Classify(invocation.Operation, result.ExitCode, result.Error)),
        };
    }
}
