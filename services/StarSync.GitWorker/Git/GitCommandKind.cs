namespace StarSync.GitWorker.Git;

/// <summary>Which time bound a git command gets (<see cref="GitWorkerOptions"/>).</summary>
internal enum GitCommandKind
{
    /// <summary>Works on local files only (init, rev-parse, for-each-ref, merge-base, grep, ...): <see cref="GitWorkerOptions.LocalCommandTimeout"/>.</summary>
    Local,

    /// <summary>Asks a server for its refs and nothing else: <see cref="GitWorkerOptions.LsRemoteTimeout"/>.</summary>
    LsRemote,

    /// <summary>
    /// Moves or checks a repository's objects (fetch, push, git lfs, fsck), which may legitimately take long on a large
    /// repository: <see cref="GitWorkerOptions.TransferInactivityTimeout"/> without output, and
    /// <see cref="GitWorkerOptions.TransferTimeout"/> in all. Such commands are run with progress output, so a healthy
    /// one is never silent for long.
    /// </summary>
    Transfer,
}
