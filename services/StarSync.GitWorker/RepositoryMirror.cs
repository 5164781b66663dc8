using System.Text;

using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.GitWorker.Git;
using StarSync.OneDev;

namespace StarSync.GitWorker;

/// <summary>
/// One mirror run: fetch the source's branches and tags into a fresh bare repository, push what differs to
/// OneDev with explicit refspecs (never <c>--mirror</c>, never <c>refs/pull/*</c>), point OneDev's default branch
/// at the source's, delete what the source no longer has, and verify. Idempotent: a second run over an
/// unchanged source pushes nothing. Git failures surface as <see cref="GitException"/>, OneDev REST failures as
/// <see cref="OneDevException"/>, cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class RepositoryMirror(
    GitCli git,
    OneDevClient oneDev,
    IOptions<GitWorkerOptions> workerOptions,
    IOptions<GitHubOptions> gitHubOptions,
    IOptions<OneDevOptions> oneDevOptions,
    ILogger<RepositoryMirror> logger)
{
    private static readonly string[] RefSpecs = ["refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"];

    public async Task<MirrorOutcome> RunAsync(MirrorRepository command, CancellationToken cancellationToken)
    {
        var repository = command.Repository;
        var sourceUrl = repository.CloneUrl;
        var targetUrl = command.OneDevGitUrl;
        var sourceCredentials = GitCredential.GitHub(sourceUrl, gitHubOptions.Value.Token) is { } s ? new[] { s } : [];
        GitCredential[] targetCredentials = [GitCredential.Bearer(targetUrl, oneDevOptions.Value.Token)];

        var directory = CreateWorkDirectory(repository.FullName);
        try
        {
            await Run(new GitInvocation("init", ["--bare", "--quiet", directory], "create the work repository"), cancellationToken);
            await Run(new GitInvocation(
                "fetch",
                ["--prune", "--no-tags", "--quiet", "--no-write-fetch-head", sourceUrl, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
                "fetch from GitHub",
                directory,
                sourceCredentials), cancellationToken);
            var source = RefSnapshot.Parse((await Run(new GitInvocation(
                "for-each-ref", ["--format=%(objectname) %(refname)", "refs/heads/", "refs/tags/"], "list the fetched refs", directory),
                cancellationToken)).Output);
            var defaultBranch = await SourceDefaultBranchAsync(command, source, sourceCredentials, directory, cancellationToken);
            logger.Fetched(repository.FullName, source.Branches, source.Tags);

            var mirror = await LsRemoteAsync(targetUrl, targetCredentials, directory, "list the mirror's refs", cancellationToken);
            if (source.SameAs(mirror))
            {
                await EnsureDefaultBranchAsync(command.OneDevProjectId, defaultBranch, cancellationToken);
                logger.NothingToPush(repository.FullName, source.Branches, source.Tags);
                return new MirrorOutcome(source.Branches, source.Tags, Pushed: false);
            }

            var updates = source.MissingOrDifferentIn(mirror);
            var deletions = source.ExtraIn(mirror);
            if (updates.Count > 0)
            {
                await PushAsync(targetUrl, targetCredentials, directory, prune: false, "push to OneDev", cancellationToken);
            }
            // Before deleting: receive-pack refuses to delete the branch HEAD points at (master -> main renames).
            await EnsureDefaultBranchAsync(command.OneDevProjectId, defaultBranch, cancellationToken);
            if (deletions.Count > 0)
            {
                // --prune with the same two refspecs deletes only branches and tags the source no longer has.
                await PushAsync(targetUrl, targetCredentials, directory, prune: true, "delete stale refs in OneDev", cancellationToken);
            }

            var verified = await LsRemoteAsync(targetUrl, targetCredentials, directory, "verify the mirror", cancellationToken);
            if (!source.SameAs(verified))
            {
                throw new GitException(new GitFailure(Mismatch(source, verified), Transient: true));
            }
            logger.Pushed(repository.FullName, updates.Count, deletions.Count);
            return new MirrorOutcome(source.Branches, source.Tags, Pushed: true);
        }
        finally
        {
            DeleteWorkDirectory(directory);
        }
    }

    private Task<GitResult> Run(GitInvocation invocation, CancellationToken cancellationToken) =>
        git.RunCheckedAsync(invocation, cancellationToken);

    private async Task<RefSnapshot> LsRemoteAsync(
        string url, IReadOnlyList<GitCredential> credentials, string directory, string operation, CancellationToken cancellationToken)
    {
        var result = await Run(new GitInvocation("ls-remote", ["--heads", "--tags", "--refs", url], operation, directory, credentials), cancellationToken);
        return RefSnapshot.Parse(result.Output);
    }

    private async Task PushAsync(
        string url, IReadOnlyList<GitCredential> credentials, string directory, bool prune, string operation, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--porcelain", "--force"];
        if (prune)
        {
            arguments.Add("--prune");
        }
        arguments.Add(url);
        arguments.AddRange(RefSpecs);
        var result = await git.RunAsync(new GitInvocation("push", arguments, operation, directory, credentials), cancellationToken);
        if (!result.Succeeded)
        {
            // --porcelain prints the per-ref verdicts ("!\trefs/heads/x:refs/heads/x\t[remote rejected] (...)") on stdout.
            var rejected = result.Output.Split('\n').Where(l => l.StartsWith('!'));
            throw new GitException(GitFailure.Classify(operation, result.ExitCode, string.Join('\n', rejected.Append(result.Error))));
        }
    }

    /// <summary>
    /// The branch GitHub's HEAD points at now (the command's value may predate a rename), falling back to the
    /// command's value when the server does not say; null when the source has no such branch (empty repository).
    /// </summary>
    private async Task<string?> SourceDefaultBranchAsync(
        MirrorRepository command, RefSnapshot source, IReadOnlyList<GitCredential> credentials, string directory, CancellationToken cancellationToken)
    {
        var result = await Run(new GitInvocation(
            "ls-remote", ["--symref", command.Repository.CloneUrl, "HEAD"], "read GitHub's default branch", directory, credentials), cancellationToken);
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
        return source.HasBranch(command.Repository.DefaultBranch) ? command.Repository.DefaultBranch : null;
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

    private string CreateWorkDirectory(string fullName)
    {
        var safeName = new string(fullName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        if (safeName.Length > 60)
        {
            safeName = safeName[..60];
        }
        var directory = Path.Combine(Path.GetFullPath(workerOptions.Value.WorkDirectory), $"{safeName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private void DeleteWorkDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.WorkDirectoryNotDeleted(directory, ex);
        }
    }
}
