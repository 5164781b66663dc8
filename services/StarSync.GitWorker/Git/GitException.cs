namespace StarSync.GitWorker.Git;

/// <summary>A git command failed; <see cref="Failure"/> says why (credential-free) and whether to try again.</summary>
internal sealed class GitException(GitFailure failure) : Exception(failure.Reason)
{
    public GitFailure Failure { get; } = failure;
}
