namespace StarSync.GitWorker.Cache;

/// <summary>
/// Recognises git's words for a damaged repository. The same words come back from a server about its own repository
/// (<c>remote: ...</c>), so they count as evidence only in the output of a command that works on the cache alone
/// (see <see cref="RepositoryMirror"/>).
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
}
