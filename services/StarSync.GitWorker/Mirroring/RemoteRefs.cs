using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>Ref listings of a server (<c>git ls-remote</c>): no objects move, so they are the cheap first look.</summary>
internal sealed class RemoteRefs(GitCli git)
{
    /// <summary>The server's branches and tags (<c>--heads --tags --refs</c>: no peeled tags, no <c>HEAD</c>, no other namespaces).</summary>
    public async Task<RefSnapshot> ListAsync(MirrorSession session, GitRemote remote, string operation, CancellationToken cancellationToken)
    {
        var result = await git.RunCheckedAsync(new GitInvocation(
            "ls-remote", ["--heads", "--tags", "--refs", remote.Url], operation, session.Directory, remote.Credentials, session.Directory), cancellationToken);
        return RefSnapshot.Parse(result.Output);
    }

    /// <summary>What GitHub says its <c>HEAD</c> is (<c>ls-remote --symref</c>), for <see cref="MirrorPlanner.DefaultBranch"/>.</summary>
    public async Task<string> SourceHeadAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        var result = await git.RunCheckedAsync(new GitInvocation(
            "ls-remote", ["--symref", session.Source.Url, "HEAD"], "read GitHub's default branch", session.Directory, session.Source.Credentials, session.Directory),
            cancellationToken);
        return result.Output;
    }
}
