namespace StarSync.GitWorker.Git;

/// <summary>
/// The branches (<c>refs/heads/*</c>) and tags (<c>refs/tags/*</c>) of a repository, each with the object it
/// points at. Other namespaces (GitHub's <c>refs/pull/*</c>, OneDev's <c>refs/pulls/*</c>) are ignored on purpose.
/// </summary>
internal sealed class RefSnapshot
{
    public const string HeadsPrefix = "refs/heads/";
    public const string TagsPrefix = "refs/tags/";

    private RefSnapshot(IReadOnlyDictionary<string, string> refs)
    {
        Refs = refs;
        Branches = refs.Keys.Count(r => r.StartsWith(HeadsPrefix, StringComparison.Ordinal));
        Tags = refs.Count - Branches;
    }

    public IReadOnlyDictionary<string, string> Refs { get; }

    public int Branches { get; }

    public int Tags { get; }

    /// <summary>
    /// Reads <c>&lt;object&gt; &lt;ref&gt;</c> lines, as printed by <c>git ls-remote</c> (tab) and
    /// <c>git for-each-ref --format='%(objectname) %(refname)'</c> (space). Peeled tag lines (<c>^{}</c>) are skipped.
    /// </summary>
    public static RefSnapshot Parse(string output)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = line.IndexOfAny([' ', '\t']);
            if (separator <= 0)
            {
                continue;
            }
            var name = line[(separator + 1)..].Trim();
            if (name.EndsWith("^{}", StringComparison.Ordinal) ||
                !(name.StartsWith(HeadsPrefix, StringComparison.Ordinal) || name.StartsWith(TagsPrefix, StringComparison.Ordinal)))
            {
                continue;
            }
            refs[name] = line[..separator];
        }
        return new RefSnapshot(refs);
    }

    /// <summary>Refs that <paramref name="target"/> lacks or holds at another object.</summary>
    public IReadOnlyList<string> MissingOrDifferentIn(RefSnapshot target) =>
        Refs.Where(r => !target.Refs.TryGetValue(r.Key, out var id) || id != r.Value).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Refs of <paramref name="target"/> that this snapshot does not have.</summary>
    public IReadOnlyList<string> ExtraIn(RefSnapshot target) =>
        target.Refs.Keys.Where(r => !Refs.ContainsKey(r)).Order(StringComparer.Ordinal).ToList();

    public bool SameAs(RefSnapshot other) => MissingOrDifferentIn(other).Count == 0 && ExtraIn(other).Count == 0;

    public bool HasBranch(string branch) => Refs.ContainsKey(HeadsPrefix + branch);
}
