using StarSync.Contracts;
using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Git;
using StarSync.OneDev;

namespace StarSync.GitWorker;

/// <summary>
/// Keeps a starred repository's code from running on the user's OneDev. OneDev runs the jobs of a pushed
/// <c>.onedev-buildspec.yml</c> whose triggers match every ref a push creates or moves (and discovers an executor
/// when none is defined), so before a push the guard looks for the file at the tip of each ref the push would
/// create or move, and applies the mirror's <see cref="BuildSpecPolicy"/>: <c>Refuse</c> stops the run before
/// anything is pushed; <c>Isolated</c> lets it through only while every enabled job executor certainly excludes the
/// mirror's project (<see cref="JobExecutorIsolation"/>); <c>Allow</c> lets it through.
/// </summary>
internal sealed class BuildSpecGuard(GitCli git, OneDevClient oneDev, ILogger<BuildSpecGuard> logger)
{
    public const string BuildSpecPath = ".onedev-buildspec.yml";

    // git grep takes the commits on its command line: a bounded number per run keeps the line short.
    private const int CommitsPerRun = 200;

    /// <summary>
    /// Checks the refs about to be created or moved (<paramref name="updates"/>, names with their new object ids).
    /// Returns the refs that carry a build spec and may be pushed; throws <see cref="BuildSpecRefusedException"/>
    /// when the policy refuses them.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckAsync(
        MirrorRepository command, string fullName, IReadOnlyDictionary<string, string> updates, string directory, CancellationToken cancellationToken)
    {
        var carrying = await RefsWithBuildSpecAsync(updates, directory, cancellationToken);
        if (carrying.Count == 0)
        {
            return [];
        }
        var refs = string.Join(", ", carrying);
        switch (command.BuildSpecs)
        {
            case BuildSpecPolicy.Allow:
                logger.BuildSpecAllowed(fullName, refs, "the mirror's policy is Allow");
                return carrying;
            case BuildSpecPolicy.Isolated:
                var verdict = await IsolationAsync(command.OneDevProjectId, cancellationToken);
                if (verdict.Isolated)
                {
                    logger.BuildSpecAllowed(fullName, refs, verdict.Reason);
                    return carrying;
                }
                throw Refused(fullName, carrying, refs, $"the policy is Isolated and {verdict.Reason}");
            default:
                throw Refused(fullName, carrying, refs, "the policy is Refuse");
        }
    }

    private BuildSpecRefusedException Refused(string fullName, IReadOnlyList<string> carrying, string refs, string why)
    {
        logger.BuildSpecRefused(fullName, refs, why);
        return new BuildSpecRefusedException(
            $"nothing pushed: {BuildSpecPath} at the tip of {refs} would make OneDev run this repository's jobs, and {why}. " +
            "Set the mirror's build spec policy to Allow (or Isolated, with executors that exclude the mirrors) to push it.",
            carrying);
    }

    private async Task<IsolationVerdict> IsolationAsync(long projectId, CancellationToken cancellationToken)
    {
        var project = await oneDev.GetProjectAsync(projectId, cancellationToken);
        return await oneDev.GetJobExecutorsAsync(cancellationToken) is { } executors
            ? JobExecutorIsolation.Evaluate(executors, project.Path)
            : new IsolationVerdict(false, [], "the OneDev token may not read the job executor settings (an administrator's token can)");
    }

    /// <summary>The refs (sorted) whose new tip has the build spec at its root.</summary>
    private async Task<IReadOnlyList<string>> RefsWithBuildSpecAsync(
        IReadOnlyDictionary<string, string> updates, string directory, CancellationToken cancellationToken)
    {
        var byCommit = updates.GroupBy(u => u.Value, u => u.Key).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var chunk in byCommit.Keys.Chunk(CommitsPerRun))
        {
            // Every line matches '' except none of an empty file, which defines no jobs; -l names each commit once.
            List<string> arguments = ["-l", "-a", "-e", "", .. chunk, "--", BuildSpecPath];
            var result = await git.RunAsync(new GitInvocation("grep", arguments, "look for OneDev build specs", directory, GitDirectory: directory),
                cancellationToken);
            // git grep exits 1 when nothing matched; a real failure on the cache is judged like any local command's.
            if (!result.Succeeded && result.ExitCode != 1)
            {
                throw CacheCorruption.LocalFailure("look for OneDev build specs", result);
            }
            foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var commit = line[..line.IndexOf(':', StringComparison.Ordinal)];
                if (byCommit.TryGetValue(commit, out var refs))
                {
                    found.AddRange(refs);
                }
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }
}

/// <summary>The build spec policy refused the push: a permanent failure; nothing was pushed.</summary>
internal sealed class BuildSpecRefusedException(string reason, IReadOnlyList<string> refs) : Exception(reason)
{
    public IReadOnlyList<string> Refs { get; } = refs;
}
