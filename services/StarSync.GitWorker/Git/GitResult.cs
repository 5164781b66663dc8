namespace StarSync.GitWorker.Git;

/// <summary>What a git command printed (both streams already redacted) and how it exited.</summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
