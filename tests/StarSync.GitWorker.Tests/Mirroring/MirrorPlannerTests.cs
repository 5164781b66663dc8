using StarSync.GitWorker.Git;
using StarSync.GitWorker.Mirroring;

namespace StarSync.GitWorker.Tests.Mirroring;

/// <summary>
/// The planner's decisions, table by table. Refs are written <c>heads/main=a tags/v1=1</c>: a ref under
/// <c>refs/</c> and a one-character object id that stands for forty of that character. A plan is rendered as its
/// steps in order (updates, archives, deletions, push, prune, default branch, LFS tips), so every field is asserted.
/// </summary>
public sealed class MirrorPlannerTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    // Nothing changed: nothing to push, nothing to archive.
    [InlineData("heads/main=a tags/v1=1", "heads/main=a tags/v1=1", "",
        "up to date; default main; lfs tips a")]
    // A new repository: the empty mirror receives everything.
    [InlineData("", "heads/dev=b heads/main=a tags/v1=1", "",
        "update heads/dev=b; update heads/main=a; update tags/v1=1; push; default main; lfs tips b,a")]
    [InlineData("heads/main=a", "heads/feature/x=b heads/main=a", "",
        "update heads/feature/x=b; push; default main; lfs tips b,a")]
    // A fast-forward moves the branch without archiving it.
    [InlineData("heads/main=a", "heads/main=b", "refs/heads/main",
        "update heads/main=b; push; default main; lfs tips b")]
    // A force-push (the old tip is not an ancestor of the new one) keeps the old tip.
    [InlineData("heads/main=a", "heads/main=b", "",
        "update heads/main=b; archive heads/main=a (force-pushed branch) as refs/starsync/archive/heads/main/20250102T030405Z-aaaaaaaaaaaa; push; default main; lfs tips b")]
    // Only the moved branch's own answer counts.
    [InlineData("heads/dev=c heads/main=a", "heads/dev=d heads/main=b", "refs/heads/main refs/heads/other",
        "update heads/dev=d; update heads/main=b; archive heads/dev=c (force-pushed branch) as refs/starsync/archive/heads/dev/20250102T030405Z-cccccccccccc; push; default main; lfs tips d,b")]
    // A deleted branch is archived and deleted; the deletion needs the pruning push.
    [InlineData("heads/feature/x=b heads/main=a", "heads/main=a", "",
        "archive heads/feature/x=b (deleted branch) as refs/starsync/archive/heads/feature/x/20250102T030405Z-bbbbbbbbbbbb; delete heads/feature/x; push; prune; default main; lfs tips a")]
    [InlineData("heads/main=a", "heads/main=a tags/v1=1", "",
        "update tags/v1=1; push; default main; lfs tips a")]
    // A moved tag is archived even when the move is "forward": tags are not fast-forwarded.
    [InlineData("heads/main=a tags/v1=1", "heads/main=a tags/v1=2", "refs/tags/v1",
        "update tags/v1=2; archive tags/v1=1 (moved tag) as refs/starsync/archive/tags/v1/20250102T030405Z-111111111111; push; default main; lfs tips a")]
    [InlineData("heads/main=a tags/v1=1", "heads/main=a", "",
        "archive tags/v1=1 (deleted tag) as refs/starsync/archive/tags/v1/20250102T030405Z-111111111111; delete tags/v1; push; prune; default main; lfs tips a")]
    // A branch and a tag of the same name are two refs.
    [InlineData("heads/v1=a tags/v1=1", "heads/v1=b tags/v1=1", "refs/heads/v1",
        "update heads/v1=b; push; default none; lfs tips b")]
    // master -> main: the new branch is created, the old one archived and deleted.
    [InlineData("heads/master=a", "heads/main=a", "",
        "update heads/main=a; archive heads/master=a (deleted branch) as refs/starsync/archive/heads/master/20250102T030405Z-aaaaaaaaaaaa; delete heads/master; push; prune; default main; lfs tips a")]
    // GitHub emptied: everything is archived and deleted, and there is no default branch to point at.
    [InlineData("heads/main=a tags/v1=1", "", "",
        "archive heads/main=a (deleted branch) as refs/starsync/archive/heads/main/20250102T030405Z-aaaaaaaaaaaa; archive tags/v1=1 (deleted tag) as refs/starsync/archive/tags/v1/20250102T030405Z-111111111111; delete heads/main; delete tags/v1; push; prune; default none; lfs tips none")]
    [InlineData("", "", "",
        "up to date; default none; lfs tips none")]
    // Several changes at once, each kind once, in ref order.
    [InlineData("heads/a=1 heads/b=2 heads/c=3 tags/t1=4 tags/t2=5", "heads/a=6 heads/b=7 heads/d=3 tags/t1=8 tags/t3=5", "refs/heads/a",
        "update heads/a=6; update heads/b=7; update heads/d=3; update tags/t1=8; update tags/t3=5; " +
        "archive heads/b=2 (force-pushed branch) as refs/starsync/archive/heads/b/20250102T030405Z-222222222222; " +
        "archive heads/c=3 (deleted branch) as refs/starsync/archive/heads/c/20250102T030405Z-333333333333; " +
        "archive tags/t1=4 (moved tag) as refs/starsync/archive/tags/t1/20250102T030405Z-444444444444; " +
        "archive tags/t2=5 (deleted tag) as refs/starsync/archive/tags/t2/20250102T030405Z-555555555555; " +
        "delete heads/c; delete tags/t2; push; prune; default none; lfs tips 6,7,3")]
    public void Plan_IsExactlyTheSteps(string mirror, string upstream, string fastForwards, string expected)
    {
        var source = Refs(upstream);
        var defaultBranch = source.HasBranch("main") ? "main" : null;

        var plan = MirrorPlanner.Plan(source, Refs(mirror), defaultBranch, FastForwards(fastForwards), At);

        Assert.Equal(expected, Render(plan));
    }

    [Fact]
    public void ForcePush_PushesHeadsTagsAndTheArchiveInOneRefSpecList()
    {
        var plan = MirrorPlanner.Plan(Refs("heads/main=b tags/v1=1"), Refs("heads/main=a tags/v1=2"), "main", FastForwards(""), At);

        Assert.Equal(
            [
                "refs/heads/*:refs/heads/*",
                "refs/tags/*:refs/tags/*",
                $"{Id('a')}:refs/starsync/archive/heads/main/20250102T030405Z-aaaaaaaaaaaa",
                $"{Id('2')}:refs/starsync/archive/tags/v1/20250102T030405Z-222222222222",
            ],
            plan.PushRefSpecs);
        Assert.Equal(new Dictionary<string, string> { ["refs/heads/main"] = Id('b'), ["refs/tags/v1"] = Id('1') }, plan.Updates);
    }

    [Fact]
    public void UpdatesOnly_PushHeadsAndTagsWithoutArchiveRefSpecs()
    {
        var plan = MirrorPlanner.Plan(Refs("heads/main=b"), Refs("heads/main=a"), "main", FastForwards("refs/heads/main"), At);

        Assert.Equal(["refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], plan.PushRefSpecs);
        Assert.Equal(MirrorPlanner.RefSpecs, plan.PushRefSpecs);
    }

    [Fact]
    public void ArchiveRefsAlreadyInTheMirror_AreNeitherComparedNorArchivedNorDeleted()
    {
        var withArchives = RefSnapshot.Parse(
            $"{Id('a')}\trefs/heads/main\n" +
            $"{Id('9')}\trefs/starsync/archive/heads/main/20240101T000000Z-999999999999\n" +
            $"{Id('8')}\trefs/starsync/archive/tags/v0/20240101T000000Z-888888888888\n" +
            $"{Id('7')}\trefs/pulls/1/head\n");
        var upstream = Refs("heads/main=b");

        var plan = MirrorPlanner.Plan(upstream, withArchives, "main", FastForwards(""), At);

        Assert.Equal(
            "update heads/main=b; archive heads/main=a (force-pushed branch) as refs/starsync/archive/heads/main/20250102T030405Z-aaaaaaaaaaaa; push; default main; lfs tips b",
            Render(plan));
        Assert.True(MirrorPlanner.Compare(Refs("heads/main=a"), withArchives).UpToDate);
    }

    [Theory]
    [InlineData("heads/main=a tags/v1=1", "heads/main=a tags/v1=1", true, "", 2)]
    [InlineData("", "", true, "", 0)]
    // Changed: the mirror's distinct tips, sorted, are what the cache must hold to skip seeding.
    [InlineData("heads/main=b", "heads/main=a heads/dev=a tags/v1=1", false, "1,a", 3)]
    [InlineData("heads/main=a", "", false, "", 0)]
    [InlineData("", "heads/main=a", false, "a", 1)]
    [InlineData("heads/main=a tags/v1=1", "heads/main=a", false, "a", 1)]
    public void Compare_DecidesWhetherToFetchAndWhatCouldSeed(string upstream, string mirror, bool upToDate, string tips, int mirrorRefs)
    {
        var plan = MirrorPlanner.Compare(Refs(upstream), Refs(mirror));

        Assert.Equal(upToDate, plan.UpToDate);
        Assert.Equal(tips.Length == 0 ? [] : tips.Split(',').Select(t => Id(t[0])).ToList(), plan.MirrorTips);
        Assert.Equal(mirrorRefs, plan.MirrorRefs);
    }

    [Fact]
    public void RefsOtherThanBranchesAndTags_DoNotMakeListingsDiffer()
    {
        var upstream = RefSnapshot.Parse(
            $"{Id('a')}\tHEAD\n{Id('a')}\trefs/heads/main\n{Id('1')}\trefs/tags/v1\n{Id('a')}\trefs/tags/v1^{{}}\n{Id('b')}\trefs/pull/7/head\n");
        var mirror = RefSnapshot.Parse(
            $"{Id('a')}\trefs/heads/main\n{Id('1')}\trefs/tags/v1\n{Id('c')}\trefs/pulls/1/head\n{Id('d')}\trefs/starsync/archive/heads/x/20240101T000000Z-dddddddddddd\n");

        Assert.True(MirrorPlanner.Compare(upstream, mirror).UpToDate);
    }

    [Theory]
    [InlineData("a,1", "a,1,b", false)]
    [InlineData("a,1", "a", true)]
    [InlineData("a", "", true)]
    [InlineData("", "", false)]
    public void NeedsSeed_WhenTheCacheLacksAMirrorTip(string mirrorTips, string cacheObjects, bool expected)
    {
        var plan = new FetchPlan(UpToDate: false, Ids(mirrorTips), MirrorRefs: 2);

        Assert.Equal(expected, plan.NeedsSeed(Ids(cacheObjects).ToHashSet(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("heads/main=a", "heads/main=a", "")]
    [InlineData("heads/main=a", "heads/main=b", "heads/main:a->b")]
    // Tags, new branches and deleted branches are no ancestry questions.
    [InlineData("heads/old=a tags/v1=1", "heads/new=b tags/v1=2", "")]
    [InlineData("heads/b=1 heads/a=2 heads/c=3", "heads/a=4 heads/b=5 heads/c=3", "heads/a:2->4; heads/b:1->5")]
    public void MovedBranches_AreTheAncestryQuestions(string mirror, string upstream, string expected)
    {
        var moves = MirrorPlanner.MovedBranches(Refs(upstream), Refs(mirror));

        Assert.Equal(expected, string.Join("; ", moves.Select(m => $"{m.Ref[5..]}:{Short(m.OldId)}->{Short(m.NewId)}")));
    }

    [Theory]
    // GitHub's symbolic HEAD wins over the API's (possibly stale) value.
    [InlineData("ref: refs/heads/main\tHEAD\naaaa\tHEAD\n", "master", "heads/main=a heads/master=b", "main")]
    [InlineData("ref: refs/heads/feature/x\tHEAD\n", "main", "heads/feature/x=a heads/main=b", "feature/x")]
    [InlineData("ref: refs/heads/main\tHEAD\r\n", "master", "heads/main=a heads/master=b", "main")]
    // HEAD at a branch GitHub does not have (unborn), at a tag, or not said at all: the API's branch.
    [InlineData("ref: refs/heads/gone\tHEAD\n", "main", "heads/main=a", "main")]
    [InlineData("ref: refs/tags/v1\tHEAD\n", "main", "heads/main=a tags/v1=1", "main")]
    [InlineData("aaaa\tHEAD\n", "main", "heads/main=a", "main")]
    [InlineData("", "main", "heads/main=a", "main")]
    // Neither exists (an empty repository, or a name that is only a tag): leave OneDev's default alone.
    [InlineData("", "main", "", null)]
    [InlineData("ref: refs/heads/main\tHEAD\n", "main", "tags/main=1", null)]
    [InlineData("ref: refs/heads/gone\tHEAD\n", "gone", "heads/main=a", null)]
    public void DefaultBranch_FollowsGitHubsHead(string headListing, string apiDefault, string source, string? expected)
    {
        Assert.Equal(expected, MirrorPlanner.DefaultBranch(headListing, apiDefault, Refs(source)));
    }

    [Theory]
    [InlineData("main", "main", null)]
    [InlineData("master", "main", "main")]
    [InlineData(null, "main", "main")]
    [InlineData("main", null, null)]
    [InlineData(null, null, null)]
    [InlineData("Main", "main", "main")]
    public void DefaultBranchChange_OnlyWhenOneDevsDiffers(string? current, string? wanted, string? expected)
    {
        Assert.Equal(expected, MirrorPlanner.DefaultBranchChange(current, wanted));
    }

    [Fact]
    public void Plan_CarriesTheDefaultBranchItWasGiven()
    {
        Assert.Equal("develop", MirrorPlanner.Plan(Refs("heads/develop=a"), Refs(""), "develop", FastForwards(""), At).DefaultBranch);
        Assert.Null(MirrorPlanner.Plan(Refs("heads/develop=a"), Refs(""), null, FastForwards(""), At).DefaultBranch);
    }

    private static RefSnapshot Refs(string notation) =>
        RefSnapshot.Parse(string.Join('\n', notation.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(r =>
        {
            var (name, id) = (r[..r.IndexOf('=', StringComparison.Ordinal)], r[(r.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            return $"{Id(id[0])}\trefs/{name}";
        })));

    private static HashSet<string> FastForwards(string refs) =>
        refs.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static List<string> Ids(string chars) =>
        [.. chars.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => Id(c[0]))];

    private static string Id(char c) => new(c, 40);

    private static string Short(string id) => id.All(c => c == id[0]) ? id[..1] : id;

    private static string Render(MirrorPlan plan)
    {
        var steps = new List<string>();
        if (plan.UpToDate)
        {
            steps.Add("up to date");
        }
        steps.AddRange(plan.Updates.Select(u => $"update {u.Key[5..]}={Short(u.Value)}"));
        steps.AddRange(plan.Archives.Select(a => $"archive {a.Ref[5..]}={Short(a.ObjectId)} ({a.Reason}) as {a.ArchiveRef}"));
        steps.AddRange(plan.Deletions.Select(d => $"delete {d[5..]}"));
        if (plan.PushRefSpecs.Count > 0)
        {
            // The refspecs themselves: the two wildcards, then one per archive (asserted exactly elsewhere).
            Assert.Equal([.. MirrorPlanner.RefSpecs, .. plan.Archives.Select(a => $"{a.ObjectId}:{a.ArchiveRef}")], plan.PushRefSpecs);
            steps.Add("push");
        }
        if (plan.Prune)
        {
            steps.Add("prune");
        }
        steps.Add($"default {plan.DefaultBranch ?? "none"}");
        steps.Add($"lfs tips {(plan.BranchTips.Count == 0 ? "none" : string.Join(',', plan.BranchTips.Select(Short)))}");
        return string.Join("; ", steps);
    }
}
