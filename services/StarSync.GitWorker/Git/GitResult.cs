namespace StarSync.GitWorker.Git;

/// <summary>
/// What a git command printed (both streams already redacted) and how it exited; for a fetch or push, the size git
/// reported for the objects it moved.
/// </summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public long? TransferredBytes => GitTransferSize.Parse(Error);
}
