namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// What the cheap comparison of GitHub's and OneDev's ref listings decided: nothing to do (<see cref="UpToDate"/>),
/// or fetch GitHub's heads and tags into the cache, seeding it from OneDev first when it lacks any of
/// <see cref="MirrorTips"/>.
/// </summary>
/// <param name="UpToDate">The mirror's branches and tags equal GitHub's: nothing is fetched or pushed.</param>
/// <param name="MirrorTips">The objects the mirror's branches and tags point at (sorted, distinct); empty when there is nothing to seed from.</param>
/// <param name="MirrorRefs">How many branches and tags the mirror has.</param>
internal sealed record FetchPlan(bool UpToDate, IReadOnlyList<string> MirrorTips, int MirrorRefs)
{
    /// <summary>True when the cache (holding <paramref name="cacheObjects"/> at its refs) lacks a tip the mirror has.</summary>
    public bool NeedsSeed(IReadOnlySet<string> cacheObjects) => MirrorTips.Any(tip => !cacheObjects.Contains(tip));
}
