using System.Text;

using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.GitHub;
using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;
using StarSync.OneDev;

namespace StarSync.GitWorker;

/// <summary>
/// One mirror run over the repository's persistent cache (<see cref="MirrorCache"/>, keyed by GitHub id):
/// compare GitHub's and OneDev's branches and tags with <c>ls-remote</c> and stop when they are equal (no pack, no
/// push); otherwise seed the cache from OneDev when it lacks the mirror's tips (cold cache: GitHub then sends only
/// the delta), fetch GitHub's heads and tags with <c>--prune</c>, keep every mirror tip that a force-push or a
/// deletion would lose under <c>refs/starsync/archive/</c> (in the same atomic push as the updates), copy Git LFS
/// objects, push with explicit refspecs (never <c>--mirror</c>, never <c>refs/pull/*</c>), point OneDev's default
/// branch at the source's, delete what the source no longer has, and verify. Git failures surface as
/// <see cref="GitException"/>, OneDev REST failures as <see cref="OneDevException"/>, cancellation as
/// <see cref="OperationCanceledException"/>. A corrupt cache is deleted and rebuilt once; corruption is judged from local
/// evidence only (a local command's complaint, or <c>git fsck</c> after a server-facing command failed with words that
/// sound like it), never from what a server says about its own repository. The fetch URL is the one
/// GitHub's API gives for the repository's id at the start of the run (<see cref="UpstreamRepository"/>), never the
/// recorded one, so a name that now belongs to another repository is never fetched. Before anything is pushed, the
/// <see cref="BuildSpecGuard"/> applies the mirror's build spec policy to the refs the push would create or move.
/// </summary>
internal sealed class RepositoryMirror(
    GitCli git,
    OneDevClient oneDev,
    MirrorCache cache,
    TimeProvider time,
    IOptions<GitWorkerOptions> workerOptions,
    GitHubTokenProvider gitHubTokens,
    IOptions<OneDevOptions> oneDevOptions,
    UpstreamRepository upstreamRepository,
    BuildSpecGuard buildSpecs,
    ILogger<RepositoryMirror> logger)
{
    private const string SeedPrefix = "refs/starsync/mirror/";
    private static readonly string[] RefSpecs = ["refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"];

    public async Task<MirrorOutcome> RunAsync(MirrorRepository command, CancellationToken cancellationToken)
    {
        var repository = await upstreamRepository.ResolveAsync(command.Repository, cancellationToken);
        using var lease = await cache.AcquireAsync(repository.Id, cancellationToken);
        try
        {
            return await SyncAsync(command, repository, lease.Directory, cancellationToken);
        }
        catch (CacheCorruptException ex)
        {
            logger.CacheCorrupt(repository.FullName, lease.Directory, ex.Message);
            lease.Delete();
            try
            {
                return await SyncAsync(command, repository, lease.Directory, cancellationToken);
            }
            catch (CacheCorruptException again)
            {
                throw new GitException(new GitFailure($"the rebuilt cache is corrupt again: {again.Message}", Transient: true));
            }
        }
    }

    private async Task<MirrorOutcome> SyncAsync(MirrorRepository command, GitHubRepository repository, string directory, CancellationToken cancellationToken)
    {
        var sourceUrl = repository.CloneUrl;
        var targetUrl = command.OneDevGitUrl;
        var sourceCredentials = GitCredential.GitHub(sourceUrl, await gitHubTokens.GetInstallationTokenAsync(cancellationToken)) is { } s ? new[] { s } : [];
        GitCredential[] targetCredentials = [GitCredential.Bearer(targetUrl, oneDevOptions.Value.Token)];
        var context = new Context(directory, sourceUrl, sourceCredentials, targetUrl, targetCredentials);

        await EnsureCacheAsync(directory, cancellationToken);

        // Cheap comparison first: two ref advertisements, no pack.
        var upstream = await LsRemoteAsync(sourceUrl, sourceCredentials, directory, "fetch from GitHub", cancellationToken);
        var mirror = await LsRemoteAsync(targetUrl, targetCredentials, directory, "list the mirror's refs", cancellationToken);
        if (upstream.SameAs(mirror))
        {
            var unchangedDefault = await SourceDefaultBranchAsync(repository, upstream, sourceCredentials, directory, cancellationToken);
            await EnsureDefaultBranchAsync(command.OneDevProjectId, unchangedDefault, cancellationToken);
            logger.Unchanged(repository.FullName, upstream.Branches, upstream.Tags);
            return new MirrorOutcome(upstream.Branches, upstream.Tags, Pushed: false) { Repository = repository };
        }

        EnsureDiskSpace(repository);
        await SeedFromMirrorAsync(context, mirror, repository.FullName, cancellationToken);
        await RunRemoteInCacheAsync(new GitInvocation(
            "fetch",
            ["--prune", "--no-tags", "--progress", "--no-write-fetch-head", sourceUrl, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            "fetch from GitHub",
            directory,
            sourceCredentials,
            directory), cancellationToken);
        var source = RefSnapshot.Parse((await RunLocalInCacheAsync(new GitInvocation(
            "for-each-ref", ["--format=%(objectname) %(refname)", "refs/heads/", "refs/tags/"], "list the fetched refs", directory, GitDirectory: directory),
            cancellationToken)).Output);
        var defaultBranch = await SourceDefaultBranchAsync(repository, source, sourceCredentials, directory, cancellationToken);
        logger.Fetched(repository.FullName, source.Branches, source.Tags);
        // Before anything (LFS objects included) goes to OneDev: a build spec among the new tips may not be pushed.
        var updates = source.MissingOrDifferentIn(mirror);
        var buildSpecRefs = await buildSpecs.CheckAsync(
            command, repository.FullName, updates.ToDictionary(r => r, r => source.Refs[r], StringComparer.Ordinal), directory, cancellationToken);

        int? lfsObjects = null;
        if (await UsesLfsAsync(source, directory, cancellationToken))
        {
            lfsObjects = await CopyLfsObjectsAsync(context, repository.FullName, cancellationToken);
        }

        if (source.SameAs(mirror))
        {
            // GitHub moved back between the comparison and the fetch: nothing to push after all.
            await EnsureDefaultBranchAsync(command.OneDevProjectId, defaultBranch, cancellationToken);
            logger.NothingToPush(repository.FullName, source.Branches, source.Tags);
            return new MirrorOutcome(source.Branches, source.Tags, Pushed: false, LfsObjects: lfsObjects) { Repository = repository };
        }

        var archives = await PlanArchivesAsync(mirror, source, directory, cancellationToken);
        var deletions = source.ExtraIn(mirror);
        if (updates.Count > 0 || archives.Count > 0)
        {
            // One atomic push: the old tips land under refs/starsync/archive/ exactly when the rewrite lands.
            var extra = archives.Select(a => $"{a.ObjectId}:{a.ArchiveRef}").ToList();
            await PushAsync(context, prune: false, extra, "push to OneDev", cancellationToken);
            foreach (var archive in archives)
            {
                logger.Archived(repository.FullName, archive.Reason, archive.Ref, archive.ObjectId, archive.ArchiveRef);
            }
        }
        // Before deleting: receive-pack refuses to delete the branch HEAD points at (master -> main renames).
        await EnsureDefaultBranchAsync(command.OneDevProjectId, defaultBranch, cancellationToken);
        if (deletions.Count > 0)
        {
            // --prune with the same two refspecs deletes only branches and tags the source no longer has; archive refs stay.
            await PushAsync(context, prune: true, [], "delete stale refs in OneDev", cancellationToken);
        }

        var verified = await LsRemoteAsync(targetUrl, targetCredentials, directory, "verify the mirror", cancellationToken);
        if (!source.SameAs(verified))
        {
            throw new GitException(new GitFailure(Mismatch(source, verified), Transient: true));
        }
        logger.Pushed(repository.FullName, updates.Count, deletions.Count);
        return new MirrorOutcome(
            source.Branches, source.Tags, Pushed: true, archives.Count == 0 ? null : [.. archives.Select(a => a.ArchiveRef)], lfsObjects)
        {
            Repository = repository,
            BuildSpecRefs = buildSpecRefs.Count == 0 ? null : buildSpecRefs,
        };
    }

    /// <summary>Creates the bare cache repository, or checks that the existing one is still a repository.</summary>
    private async Task EnsureCacheAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            await Run(new GitInvocation("init", ["--bare", "--quiet", directory], "create the cache repository", Path.GetDirectoryName(directory)), cancellationToken);
            return;
        }
        await RunLocalInCacheAsync(new GitInvocation("rev-parse", ["--git-dir"], "open the cache repository", directory, GitDirectory: directory), cancellationToken);
    }

    /// <summary>
    /// When the cache lacks any tip the mirror has (a cold cache, a cache lost or behind another worker), fetch the
    /// mirror's heads and tags from OneDev into <c>refs/starsync/mirror/</c>. The nearby server sends the bulk; GitHub
    /// then negotiates against these objects and sends only the delta. It also puts the old tips where
    /// <c>merge-base --is-ancestor</c> can see them.
    /// </summary>
    private async Task SeedFromMirrorAsync(Context context, RefSnapshot mirror, string repository, CancellationToken cancellationToken)
    {
        if (mirror.Refs.Count == 0)
        {
            return;
        }
        var known = (await RunLocalInCacheAsync(new GitInvocation(
                "for-each-ref", ["--format=%(objectname)"], "list the cache's refs", context.Directory, GitDirectory: context.Directory), cancellationToken))
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        if (mirror.Refs.Values.All(known.Contains))
        {
            return;
        }
        await RunRemoteInCacheAsync(new GitInvocation(
            "fetch",
            ["--prune", "--no-tags", "--progress", "--no-write-fetch-head", context.TargetUrl,
                $"+refs/heads/*:{SeedPrefix}heads/*", $"+refs/tags/*:{SeedPrefix}tags/*"],
            "seed the cache from OneDev",
            context.Directory,
            context.TargetCredentials,
            context.Directory), cancellationToken);
        logger.CacheSeeded(repository, mirror.Refs.Count);
    }

    /// <summary>Mirror refs whose tip the push would lose: deleted upstream, a moved tag, or a branch rewritten (not a fast-forward).</summary>
    private async Task<IReadOnlyList<Archive>> PlanArchivesAsync(RefSnapshot mirror, RefSnapshot source, string directory, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var archives = new List<Archive>();
        foreach (var (name, oldId) in mirror.Refs.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            string? reason;
            if (!source.Refs.TryGetValue(name, out var newId))
            {
                reason = name.StartsWith(RefSnapshot.TagsPrefix, StringComparison.Ordinal) ? "deleted tag" : "deleted branch";
            }
            else if (newId == oldId)
            {
                continue;
            }
            else if (name.StartsWith(RefSnapshot.TagsPrefix, StringComparison.Ordinal))
            {
                reason = "moved tag";
            }
            else
            {
                reason = await IsAncestorAsync(oldId, newId, directory, cancellationToken) ? null : "force-pushed branch";
            }
            if (reason is not null)
            {
                archives.Add(new Archive(name, oldId, ArchiveRef.For(name, oldId, at), reason));
            }
        }
        return archives;
    }

    private async Task<bool> IsAncestorAsync(string ancestor, string descendant, string directory, CancellationToken cancellationToken)
    {
        var invocation = new GitInvocation("merge-base", ["--is-ancestor", ancestor, descendant], "compare old and new tips", directory, GitDirectory: directory);
        var result = await git.RunAsync(invocation, cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ when CacheCorruption.IsCorruption(result.Error) => throw new CacheCorruptException(result.Error.Trim()),
            _ => throw new GitException(GitFailure.Classify(invocation.Operation, result.ExitCode, result.Error)),
        };
    }

    /// <summary>Cheap LFS detection: does a <c>.gitattributes</c> in any branch tip mention <c>filter=lfs</c>?</summary>
    private async Task<bool> UsesLfsAsync(RefSnapshot source, string directory, CancellationToken cancellationToken)
    {
        var tips = source.Refs.Where(r => r.Key.StartsWith(RefSnapshot.HeadsPrefix, StringComparison.Ordinal)).Select(r => r.Value).Distinct().ToList();
        foreach (var chunk in tips.Chunk(100))
        {
            List<string> arguments = ["grep", "--quiet", "--fixed-strings", "-e", "filter=lfs", .. chunk, "--", ".gitattributes", ":(glob)**/.gitattributes"];
            var result = await git.RunAsync(new GitInvocation(arguments[0], arguments[1..], "look for Git LFS", directory, GitDirectory: directory), cancellationToken);
            if (result.ExitCode == 0)
            {
                return true;
            }
            if (result.ExitCode != 1)
            {
                throw CacheCorruption.LocalFailure("look for Git LFS", result);
            }
        }
        return false;
    }

    /// <summary>
    /// <c>git lfs fetch --all</c> from GitHub into the cache, then <c>git lfs push --all</c> to OneDev (before the refs
    /// that point at the objects). git-lfs reads the same environment-only <c>http.&lt;origin&gt;.extraHeader</c>.
    /// Returns how many LFS objects the cache holds.
    /// </summary>
    private async Task<int> CopyLfsObjectsAsync(Context context, string repository, CancellationToken cancellationToken)
    {
        await RunRemoteInCacheAsync(new GitInvocation(
            "lfs", ["fetch", "--all", context.SourceUrl], "fetch Git LFS objects from GitHub", context.Directory, context.SourceCredentials, context.Directory),
            cancellationToken);
        await RunRemoteInCacheAsync(new GitInvocation(
            "lfs", ["push", "--all", context.TargetUrl], "push Git LFS objects to OneDev", context.Directory, context.TargetCredentials, context.Directory),
            cancellationToken);
        var store = Path.Combine(context.Directory, "lfs", "objects");
        var count = Directory.Exists(store)
            ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(f).Length == 64)
            : 0;
        logger.LfsCopied(repository, count);
        return count;
    }

    private void EnsureDiskSpace(GitHubRepository repository)
    {
        var options = workerOptions.Value;
        var root = cache.Root;
        Directory.CreateDirectory(root);
        if (DiskSpace.Shortage(repository.FullName, repository.SizeKb, options.MinimumFreeDiskBytes, DiskSpace.AvailableBytes(root), root) is { } reason)
        {
            throw new GitException(new GitFailure(reason, Transient: true));
        }
    }

    private Task<GitResult> Run(GitInvocation invocation, CancellationToken cancellationToken) =>
        git.RunCheckedAsync(invocation, cancellationToken);

    /// <summary>
    /// A command on the cache alone, like <see cref="Run"/>. Its complaints about a damaged repository are local
    /// evidence: they become <see cref="CacheCorruptException"/>, and the cache is rebuilt.
    /// </summary>
    private async Task<GitResult> RunLocalInCacheAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(invocation, cancellationToken);
        return result.Succeeded ? result : throw CacheCorruption.LocalFailure(invocation.Operation, result);
    }

    /// <summary>A command on the cache that talks to a server (fetch, Git LFS); its failures are judged by <see cref="FailureOfRemoteAsync"/>.</summary>
    private async Task RunRemoteInCacheAsync(GitInvocation invocation, CancellationToken cancellationToken)
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
    private async Task<Exception> FailureOfRemoteAsync(GitInvocation invocation, int exitCode, string output, CancellationToken cancellationToken)
    {
        if (CacheCorruption.IsCorruption(output) && await CacheDamageAsync(invocation.GitDirectory!, cancellationToken) is { } damage)
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
    private async Task<string?> CacheDamageAsync(string directory, CancellationToken cancellationToken)
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

    private async Task<RefSnapshot> LsRemoteAsync(
        string url, IReadOnlyList<GitCredential> credentials, string directory, string operation, CancellationToken cancellationToken)
    {
        var result = await Run(new GitInvocation(
            "ls-remote", ["--heads", "--tags", "--refs", url], operation, directory, credentials, directory), cancellationToken);
        return RefSnapshot.Parse(result.Output);
    }

    private async Task PushAsync(Context context, bool prune, IReadOnlyList<string> extraRefSpecs, string operation, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--porcelain", "--progress", "--force"];
        if (prune)
        {
            arguments.Add("--prune");
        }
        else
        {
            arguments.Add("--atomic");
        }
        arguments.Add(context.TargetUrl);
        arguments.AddRange(RefSpecs);
        arguments.AddRange(extraRefSpecs);
        var invocation = new GitInvocation("push", arguments, operation, context.Directory, context.TargetCredentials, context.Directory);
        var result = await git.RunAsync(invocation, cancellationToken);
        if (!result.Succeeded)
        {
            // --porcelain prints the per-ref verdicts ("!\trefs/heads/x:refs/heads/x\t[remote rejected] (...)") on stdout.
            var rejected = result.Output.Split('\n').Where(l => l.StartsWith('!'));
            throw await FailureOfRemoteAsync(invocation, result.ExitCode, string.Join('\n', rejected.Append(result.Error)), cancellationToken);
        }
    }

    /// <summary>
    /// The branch GitHub's HEAD points at now (the API's value may lag behind a rename), falling back to the
    /// API's value when the server does not say; null when the source has no such branch (empty repository).
    /// </summary>
    private async Task<string?> SourceDefaultBranchAsync(
        GitHubRepository repository, RefSnapshot source, IReadOnlyList<GitCredential> credentials, string directory, CancellationToken cancellationToken)
    {
        var result = await Run(new GitInvocation(
            "ls-remote", ["--symref", repository.CloneUrl, "HEAD"], "read GitHub's default branch", directory, credentials, directory), cancellationToken);
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            const string prefix = "ref: " + RefSnapshot.HeadsPrefix;
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith("HEAD", StringComparison.Ordinal))
            {
                var branch = line[prefix.Length..^"HEAD".Length].Trim();
                if (source.HasBranch(branch))
                {
                    return branch;
                }
            }
        }
        return source.HasBranch(repository.DefaultBranch) ? repository.DefaultBranch : null;
    }

    private async Task EnsureDefaultBranchAsync(long projectId, string? branch, CancellationToken cancellationToken)
    {
        if (branch is null)
        {
            return;
        }
        var current = await oneDev.GetDefaultBranchAsync(projectId, cancellationToken);
        if (string.Equals(current, branch, StringComparison.Ordinal))
        {
            return;
        }
        await oneDev.SetDefaultBranchAsync(projectId, branch, cancellationToken);
        logger.DefaultBranchChanged(projectId, current ?? "(none)", branch);
    }

    private static string Mismatch(RefSnapshot source, RefSnapshot mirror)
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

    private sealed record Context(
        string Directory, string SourceUrl, IReadOnlyList<GitCredential> SourceCredentials, string TargetUrl, IReadOnlyList<GitCredential> TargetCredentials);

    private sealed record Archive(string Ref, string ObjectId, string ArchiveRef, string Reason);
}
