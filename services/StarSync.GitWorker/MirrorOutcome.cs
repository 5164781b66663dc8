using StarSync.Contracts;

namespace StarSync.GitWorker;

/// <summary>
/// A mirror that now equals its source: how many branches and tags it has, and whether anything was pushed.
/// <paramref name="ArchivedRefs"/> names the archive refs created in OneDev (null when none);
/// <paramref name="LfsObjects"/> counts the Git LFS objects in the cache when the repository uses LFS (else null).
/// </summary>
internal sealed record MirrorOutcome(int Branches, int Tags, bool Pushed, IReadOnlyList<string>? ArchivedRefs = null, int? LfsObjects = null)
{
    /// <summary>The repository as GitHub's API described it by id for this run (its current names and clone URL).</summary>
    public GitHubRepository? Repository { get; init; }

    /// <summary>Pushed refs whose tip carries a OneDev build spec (the policy let them through); null when none.</summary>
    public IReadOnlyList<string>? BuildSpecRefs { get; init; }
}
