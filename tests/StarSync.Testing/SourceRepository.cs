namespace StarSync.Testing;

/// <summary>
/// A bare git repository on disk that plays "the GitHub repository" in tests. Commits are made with plumbing
/// (hash-object, a private index, commit-tree, update-ref), so no work tree is involved.
/// </summary>
public sealed class SourceRepository
{
    private const string ZeroId = "0000000000000000000000000000000000000000";

    private SourceRepository(string path, string defaultBranch)
    {
        Path = path;
        DefaultBranch = defaultBranch;
    }

    /// <summary>The bare repository's directory; git accepts it as a clone/fetch/ls-remote URL.</summary>
    public string Path { get; }

    public string DefaultBranch { get; }

    /// <summary>A <c>file://</c> URL of the repository.</summary>
    public Uri FileUrl => new(System.IO.Path.GetFullPath(Path));

    /// <summary>Creates an empty bare repository whose HEAD points at <paramref name="defaultBranch"/>.</summary>
    public static async Task<SourceRepository> CreateAsync(string bareDirectory, string defaultBranch = "main")
    {
        Directory.CreateDirectory(bareDirectory);
        await Git.RunAsync(bareDirectory, "init", "--quiet", "--bare", $"--initial-branch={defaultBranch}", ".").ConfigureAwait(false);
        return new SourceRepository(System.IO.Path.GetFullPath(bareDirectory), defaultBranch);
    }

    /// <summary>
    /// Commits <paramref name="fileName"/> (may contain '/') with <paramref name="content"/> on top of
    /// <paramref name="branch"/>; a missing branch starts from the default branch (or as a root commit when the
    /// repository is empty). Returns the new commit id.
    /// </summary>
    public async Task<string> CommitAsync(string branch, string fileName, string content, string message)
    {
        var tip = await TryResolveAsync($"refs/heads/{branch}").ConfigureAwait(false);
        var parent = tip ?? await TryResolveAsync($"refs/heads/{DefaultBranch}").ConfigureAwait(false);
        var tree = await WriteTreeAsync(parent, fileName, content).ConfigureAwait(false);
        var commit = parent is null
            ? await GitAsync("commit-tree", tree, "-m", message).ConfigureAwait(false)
            : await GitAsync("commit-tree", tree, "-p", parent, "-m", message).ConfigureAwait(false);
        await GitAsync("update-ref", $"refs/heads/{branch}", commit, tip ?? ZeroId).ConfigureAwait(false);
        return commit;
    }

    /// <summary>Tags <paramref name="target"/> (a branch, tag or commit id); annotated tags get a tag object.</summary>
    public async Task CreateTagAsync(string tag, string target, bool annotated = false)
    {
        var commit = await GitAsync("rev-parse", "--verify", $"{target}^{{commit}}").ConfigureAwait(false);
        if (annotated)
        {
            await GitAsync("tag", "--annotate", "--message", $"Tag {tag}", tag, commit).ConfigureAwait(false);
        }
        else
        {
            await GitAsync("update-ref", $"refs/tags/{tag}", commit, ZeroId).ConfigureAwait(false);
        }
    }

    /// <summary>Commits the removal of <paramref name="fileName"/> on top of <paramref name="branch"/> (which must exist).</summary>
    public async Task<string> DeleteFileAsync(string branch, string fileName, string message)
    {
        var tip = await TryResolveAsync($"refs/heads/{branch}").ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Branch {branch} does not exist in {Path}.");
        var scratch = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starsync-tests", $"index-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            // update-index wants a work tree even to drop an entry; an empty scratch one will do.
            var index = new Dictionary<string, string?>
            {
                ["GIT_INDEX_FILE"] = System.IO.Path.Combine(scratch, "index"),
                ["GIT_WORK_TREE"] = scratch,
            };
            await Git.RunAsync(Path, index, "read-tree", tip).ConfigureAwait(false);
            await Git.RunAsync(Path, index, "update-index", "--force-remove", fileName).ConfigureAwait(false);
            var tree = (await Git.RunAsync(Path, index, "write-tree").ConfigureAwait(false)).Trim();
            var commit = await GitAsync("commit-tree", tree, "-p", tip, "-m", message).ConfigureAwait(false);
            await GitAsync("update-ref", $"refs/heads/{branch}", commit, tip).ConfigureAwait(false);
            return commit;
        }
        finally
        {
            TempDirectory.Delete(scratch);
        }
    }

    public Task DeleteBranchAsync(string branch) => GitAsync("update-ref", "-d", $"refs/heads/{branch}");

    public Task DeleteTagAsync(string tag) => GitAsync("update-ref", "-d", $"refs/tags/{tag}");

    /// <summary>
    /// Force-moves <paramref name="branch"/> to a new commit that does not descend from its old tip (like an
    /// amended and force-pushed commit): same parents as the old tip, <c>rewritten.txt</c> set to
    /// <paramref name="content"/>. Returns the new commit id.
    /// </summary>
    public async Task<string> RewriteBranchAsync(string branch, string content)
    {
        var tip = await TryResolveAsync($"refs/heads/{branch}").ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Branch {branch} does not exist in {Path}.");
        var parents = (await GitAsync("rev-list", "--parents", "-n", "1", tip).ConfigureAwait(false))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var tree = await WriteTreeAsync(tip, "rewritten.txt", content).ConfigureAwait(false);
        List<string> arguments = ["commit-tree", tree];
        foreach (var parent in parents)
        {
            arguments.AddRange(["-p", parent]);
        }
        arguments.AddRange(["-m", $"Rewrite {branch}"]);
        var commit = await GitAsync([.. arguments]).ConfigureAwait(false);
        await GitAsync("update-ref", $"refs/heads/{branch}", commit, tip).ConfigureAwait(false);
        return commit;
    }

    /// <summary>refs/heads/* and refs/tags/* → object id, exactly as <see cref="Git.LsRemoteAsync"/> reports them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetRefsAsync()
    {
        var output = await Git.RunAsync(
            Path, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags").ConfigureAwait(false);
        return Git.ParseRefs(output, ' ', objectIdFirst: true);
    }

    public override string ToString() => Path;

    /// <summary>Tree of <paramref name="baseCommit"/> (or empty) with one file set, written via a private index.</summary>
    private async Task<string> WriteTreeAsync(string? baseCommit, string fileName, string content)
    {
        var scratch = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starsync-tests", $"index-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var blobFile = System.IO.Path.Combine(scratch, "blob");
            await File.WriteAllTextAsync(blobFile, content).ConfigureAwait(false);
            var blob = await GitAsync("hash-object", "-w", "--no-filters", blobFile).ConfigureAwait(false);
            var index = new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = System.IO.Path.Combine(scratch, "index") };
            if (baseCommit is null)
            {
                await Git.RunAsync(Path, index, "read-tree", "--empty").ConfigureAwait(false);
            }
            else
            {
                await Git.RunAsync(Path, index, "read-tree", baseCommit).ConfigureAwait(false);
            }
            await Git.RunAsync(Path, index, "update-index", "--add", "--cacheinfo", $"100644,{blob},{fileName}").ConfigureAwait(false);
            return (await Git.RunAsync(Path, index, "write-tree").ConfigureAwait(false)).Trim();
        }
        finally
        {
            TempDirectory.Delete(scratch);
        }
    }

    private async Task<string?> TryResolveAsync(string reference)
    {
        try
        {
            return await GitAsync("rev-parse", "--verify", "--quiet", reference).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<string> GitAsync(params string[] args) => (await Git.RunAsync(Path, args).ConfigureAwait(false)).Trim();
}
