namespace StarSync.GitWorker.Git;

/// <summary>
/// One git command: <c>git &lt;Command&gt; &lt;Arguments...&gt;</c> run in <paramref name="WorkingDirectory"/>, with
/// <paramref name="Credentials"/> passed through the environment. <paramref name="Operation"/> names it in
/// failure reasons ("fetch from GitHub"). <paramref name="GitDirectory"/>, when set, becomes <c>GIT_DIR</c>, so git
/// works on exactly that repository and never searches parent directories. <see cref="Kind"/> picks its time bound;
/// it follows from the command unless set.
/// </summary>
internal sealed record GitInvocation(
    string Command,
    IReadOnlyList<string> Arguments,
    string Operation,
    string? WorkingDirectory = null,
    IReadOnlyList<GitCredential>? Credentials = null,
    string? GitDirectory = null)
{
    public IReadOnlyList<GitCredential> Credentials { get; init; } = Credentials ?? [];

    public GitCommandKind Kind { get; init; } = KindOf(Command);

    /// <summary>The command as failure reasons and logs name it: <c>fetch</c>, <c>lfs push</c> (never arguments that may be URLs).</summary>
    public string DisplayName => Command == "lfs" && Arguments.Count > 0 ? $"lfs {Arguments[0]}" : Command;

    private static GitCommandKind KindOf(string command) => command switch
    {
        "ls-remote" => GitCommandKind.LsRemote,
        "fetch" or "push" or "clone" or "lfs" => GitCommandKind.Transfer,
        _ => GitCommandKind.Local,
    };
}
