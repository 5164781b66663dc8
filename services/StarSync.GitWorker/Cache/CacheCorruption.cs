using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Cache;

/// <summary>
/// Recognises git's words for a damaged repository. The same words come back from a server about its own repository
/// (<c>remote: ...</c>), so they count as evidence only in the output of a command that works on the cache alone
/// (see <see cref="CacheCommands"/>).
/// </summary>
internal static class CacheCorruption
{
    private static readonly string[] Patterns =
    [
        "not a git repository",
        "corrupt",
        "bad object",
        "bad tree object",
        "invalid sha1 pointer",
        "missing blob",
        "missing tree",
        "missing commit",
        "unable to read",
        "loose object",
        "packfile",
        "did not send all necessary objects",
        "bad ref",
        "broken link",
        "bad index file",
        "could not parse commit",
        "unable to parse",
        "hash mismatch",
        "inflate",
        "unable to unpack",
    ];

    public static bool IsCorruption(string redactedOutput) =>
        Patterns.Any(p => redactedOutput.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// What a failed command that worked on the cache alone means: its complaints about a damaged repository are
    /// local evidence (<see cref="CacheCorruptException"/>, the cache is rebuilt); anything else is a
    /// <see cref="GitException"/> judged by <see cref="GitFailure.Classify"/>.
    /// </summary>
    public static Exception LocalFailure(string operation, GitResult result) =>
        IsCorruption(result.Error)
            ? new CacheCorruptException($"{operation}: {result.Error.Trim()}")
            : new GitException(GitFailure.Classify(operation, result.ExitCode, result.Error));
}
