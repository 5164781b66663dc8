using System.Text;

using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>Lists OneDev's branches and tags after the pushes and fails (transiently) when they differ from the fetched ones.</summary>
internal sealed class MirrorVerification(RemoteRefs remoteRefs)
{
    public async Task VerifyAsync(MirrorSession session, RefSnapshot source, CancellationToken cancellationToken)
    {
        var verified = await remoteRefs.ListAsync(session, session.Target, "verify the mirror", cancellationToken);
        if (!source.SameAs(verified))
        {
            throw new GitException(new GitFailure(Mismatch(source, verified), Transient: true));
        }
    }

    internal static string Mismatch(RefSnapshot source, RefSnapshot mirror)
    {
        var wrong = source.MissingOrDifferentIn(mirror);
        var extra = source.ExtraIn(mirror);
        var text = new StringBuilder("verify the mirror failed: after the push OneDev's branches and tags still differ from GitHub's");
        if (wrong.Count > 0)
        {
            text.Append($"; missing or different: {string.Join(", ", wrong.Take(5))}{(wrong.Count > 5 ? $" and {wrong.Count - 5} more" : "")}");
        }
        if (extra.Count > 0)
        {
            text.Append($"; not in the source: {string.Join(", ", extra.Take(5))}{(extra.Count > 5 ? $" and {extra.Count - 5} more" : "")}");
        }
        return text.ToString();
    }
}
