using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Cache;

/// <summary>
/// Runs git on a cache repository and judges its failures. Corruption is judged from local evidence only: a
/// command on the cache alone that complains about it, or <c>git fsck</c> after a server-facing command failed
/// with words that sound like it; never from what a server says about its own repository.
/// </summary>
internal sealed class CacheCommands(GitCli git)
{
    /// <summary>Creates the bare cache repository, or checks that the existing one is still a repository.</summary>
    public async Task OpenAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            var parent = Path.GetDirectoryName(directory)!;
            Directory.CreateDirectory(parent);
            await git.RunCheckedAsync(new GitInvocation("init", ["--bare", "--quiet", directory], "create the cache repository", parent), cancellationToken);
            return;
        }
        await RunLocalAsync(new GitInvocation("rev-parse", ["--git-dir"], "open the cache repository", directory, GitDirectory: directory), cancellationToken);
    }

    /// <summary>
    /// A command on the cache alone. Its complaints about a damaged repository are local evidence: they become
    /// <see cref="CacheCorruptException"/>, and the cache is rebuilt.
    /// </summary>
    public async Task<GitResult> RunLocalAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(invocation, cancellationToken);
        return result.Succeeded ? result : throw CacheCorruption.LocalFailure(invocation.Operation, result);
    }

    /// <summary>A command on the cache that talks to a server (fetch, Git LFS); its failures are judged by <see cref="FailureOfRemoteAsync"/>.</summary>
    public async Task RunRemoteAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(invocation, cancellationToken);
        if (!result.Succeeded)
        {
            throw await FailureOfRemoteAsync(invocation, result.ExitCode, result.Error, cancellationToken);
        }
    }

    /// <summary>
    /// Why a command that talked to a server failed. Words like "corrupt" or "unable to read" in its output may be the
    /// server's (a damaged repository on GitHub's or OneDev's side, relayed as <c>remote: ...</c> or
    /// <c>remote error: ...</c>), and a healthy cache must not be thrown away for them: only when <c>git fsck</c>
    /// finds the cache damaged too does the failure become <see cref="CacheCorruptException"/>. Otherwise it is the
    /// command's own failure, classified as usual.
    /// </summary>
    public async Task<Exception> FailureOfRemoteAsync(GitInvocation invocation, int exitCode, string output, CancellationToken cancellationToken)
    {
        if (CacheCorruption.IsCorruption(output) && await DamageAsync(invocation.GitDirectory!, cancellationToken) is { } damage)
        {
            return new CacheCorruptException($"{invocation.Operation}: {output.Trim()}; git fsck: {damage}");
        }
        return new GitException(GitFailure.Classify(invocation.Operation, exitCode, output));
    }

    /// <summary>
    /// Checks every object of the cache (<c>git fsck</c>, long on a large repository, so bounded like a transfer) and
    /// returns what it found broken, or null for a healthy cache. Objects that are intact but malformed by today's
    /// rules (old commits with odd dates, say) fail fsck too without being damage, so only fsck's words for missing or
    /// unreadable objects count.
    /// </summary>
    private async Task<string?> DamageAsync(string directory, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(
            new GitInvocation("fsck", ["--no-dangling", "--progress"], "check the cache repository", directory, GitDirectory: directory)
            {
                Kind = GitCommandKind.Transfer,
            },
            cancellationToken);
        var findings = (result.Output + "\n" + result.Error).Trim();
        return !result.Succeeded && CacheCorruption.IsCorruption(findings) ? findings : null;
    }
}
