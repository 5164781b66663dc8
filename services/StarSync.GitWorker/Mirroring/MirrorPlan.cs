namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// What one sync does to OneDev once GitHub's refs are in the cache (made by <see cref="MirrorPlanner.Plan"/>).
/// </summary>
/// <param name="Updates">Branches and tags to create or move, with their new objects, in ref order (the build spec guard checks these tips).</param>
/// <param name="Archives">Mirror tips that a deletion, a moved tag or a force-push would lose, in ref order.</param>
/// <param name="Deletions">Branches and tags the mirror has and GitHub no longer has, in ref order.</param>
/// <param name="PushRefSpecs">The refspecs of the one atomic, forced push: heads, tags and every archive; empty when nothing is pushed.</param>
/// <param name="DefaultBranch">The branch OneDev's default branch must be; null to leave it alone (GitHub has no such branch).</param>
/// <param name="BranchTips">The distinct objects GitHub's branches point at, where a <c>.gitattributes</c> may ask for Git LFS.</param>
internal sealed record MirrorPlan(
    IReadOnlyDictionary<string, string> Updates,
    IReadOnlyList<ArchivedTip> Archives,
    IReadOnlyList<string> Deletions,
    IReadOnlyList<string> PushRefSpecs,
    string? DefaultBranch,
    IReadOnlyList<string> BranchTips)
{
    /// <summary>The mirror already equals the fetched refs (GitHub moved back since the comparison): nothing to push.</summary>
    public bool UpToDate => Updates.Count == 0 && Deletions.Count == 0;

    /// <summary>Refs to delete with a pruning push (after the default branch moved off them).</summary>
    public bool Prune => Deletions.Count > 0;
}
