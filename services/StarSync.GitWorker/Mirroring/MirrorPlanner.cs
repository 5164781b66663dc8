using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// Every decision of a sync, without I/O: from GitHub's and OneDev's branches and tags (<see cref="RefSnapshot"/>,
/// which leaves out everything else: <c>refs/pull/*</c>, OneDev's <c>refs/pulls/*</c>, the archive refs under
/// <see cref="ArchiveRef.Prefix"/>, peeled tag lines and <c>HEAD</c>) to what is fetched, pushed, archived and
/// deleted, and which branch becomes OneDev's default. The git steps gather the facts it needs (ref listings,
/// GitHub's symbolic <c>HEAD</c>, which rewritten branches are fast-forwards) and carry out what it answers.
/// </summary>
internal static class MirrorPlanner
{
    public const string DeletedBranch = "deleted branch";
    public const string DeletedTag = "deleted tag";
    public const string MovedTag = "moved tag";
    public const string ForcePushedBranch = "force-pushed branch";

    /// <summary>
    /// Heads and tags, mapped onto themselves: the fetch from GitHub (forced, pruned) and both pushes to OneDev use
    /// these and nothing wider (never <c>--mirror</c>, never <c>refs/pull/*</c>).
    /// </summary>
    public static IReadOnlyList<string> RefSpecs { get; } = ["refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"];

    /// <summary>The first decision, from two ref listings: is there anything to do, and what could seed the cache.</summary>
    public static FetchPlan Compare(RefSnapshot upstream, RefSnapshot mirror) =>
        upstream.SameAs(mirror)
            ? new FetchPlan(UpToDate: true, [], mirror.Refs.Count)
            : new FetchPlan(UpToDate: false, [.. mirror.Refs.Values.Distinct().Order(StringComparer.Ordinal)], mirror.Refs.Count);

    /// <summary>
    /// The branches whose tip the push would move (tags are never fast-forwarded: a moved tag is always archived).
    /// Whether each is a fast-forward is a question for git (<c>merge-base --is-ancestor</c>); the answers go to <see cref="Plan"/>.
    /// </summary>
    public static IReadOnlyList<TipMove> MovedBranches(RefSnapshot source, RefSnapshot mirror) =>
        [.. mirror.Refs
            .Where(r => IsBranch(r.Key) && source.Refs.TryGetValue(r.Key, out var newId) && newId != r.Value)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new TipMove(r.Key, r.Value, source.Refs[r.Key]))];

    /// <summary>
    /// The branch OneDev's default must be: the one GitHub's symbolic <c>HEAD</c> names (<paramref name="headListing"/>,
    /// the output of <c>git ls-remote --symref &lt;url&gt; HEAD</c>; the API's value may lag behind a rename) when
    /// <paramref name="source"/> has it, else the API's <paramref name="apiDefaultBranch"/> when it has that; null when it
    /// has neither (an empty repository, a HEAD at an unborn branch the API does not know either).
    /// </summary>
    public static string? DefaultBranch(string headListing, string apiDefaultBranch, RefSnapshot source)
    {
        const string prefix = "ref: " + RefSnapshot.HeadsPrefix;
        foreach (var line in headListing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith("HEAD", StringComparison.Ordinal))
            {
                var branch = line[prefix.Length..^"HEAD".Length].Trim();
                if (source.HasBranch(branch))
                {
                    return branch;
                }
            }
        }
        return source.HasBranch(apiDefaultBranch) ? apiDefaultBranch : null;
    }

    /// <summary>The branch to set as OneDev's default, or null when <paramref name="current"/> already is <paramref name="wanted"/> or nothing is wanted.</summary>
    public static string? DefaultBranchChange(string? current, string? wanted) =>
        wanted is null || string.Equals(current, wanted, StringComparison.Ordinal) ? null : wanted;

    /// <summary>
    /// What to push once GitHub's refs are fetched (<paramref name="source"/>) into a mirror holding <paramref name="mirror"/>.
    /// Every mirror tip the push would lose is archived at <paramref name="at"/>: a deleted branch or tag, a moved tag
    /// (even one moved forward), and a branch whose old tip is not an ancestor of its new one, i.e. a branch in
    /// <see cref="MovedBranches"/> that is not in <paramref name="fastForwards"/>.
    /// </summary>
    public static MirrorPlan Plan(
        RefSnapshot source, RefSnapshot mirror, string? defaultBranch, IReadOnlySet<string> fastForwards, DateTimeOffset at)
    {
        var updates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in source.MissingOrDifferentIn(mirror))
        {
            updates.Add(name, source.Refs[name]);
        }
        var archives = new List<ArchivedTip>();
        foreach (var (name, oldId) in mirror.Refs.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (ArchiveReason(name, oldId, source, fastForwards) is { } reason)
            {
                archives.Add(new ArchivedTip(name, oldId, ArchiveRef.For(name, oldId, at), reason));
            }
        }
        IReadOnlyList<string> push = updates.Count > 0 || archives.Count > 0
            ? [.. RefSpecs, .. archives.Select(a => $"{a.ObjectId}:{a.ArchiveRef}")]
            : [];
        var branchTips = source.Refs.Where(r => IsBranch(r.Key)).Select(r => r.Value).Distinct(StringComparer.Ordinal).ToList();
        return new MirrorPlan(updates, archives, source.ExtraIn(mirror), push, defaultBranch, branchTips);
    }

    private static string? ArchiveReason(string name, string oldId, RefSnapshot source, IReadOnlySet<string> fastForwards)
    {
        var isTag = name.StartsWith(RefSnapshot.TagsPrefix, StringComparison.Ordinal);
        if (!source.Refs.TryGetValue(name, out var newId))
        {
            return isTag ? DeletedTag : DeletedBranch;
        }
        if (newId == oldId)
        {
            return null;
        }
        if (isTag)
        {
            return MovedTag;
        }
        return fastForwards.Contains(name) ? null : ForcePushedBranch;
    }

    private static bool IsBranch(string name) => name.StartsWith(RefSnapshot.HeadsPrefix, StringComparison.Ordinal);
}
