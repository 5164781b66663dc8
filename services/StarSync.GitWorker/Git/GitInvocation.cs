namespace StarSync.GitWorker.Git;

/// <summary>
/// One git command: <c>git &lt;Command&gt; &lt;Arguments...&gt;</c> run in <paramref name="WorkingDirectory"/>, with
/// <paramref name="Credentials"/> passed through the environment. <paramref name="Operation"/> names it in
/// failure reasons ("fetch from GitHub"). <paramref name="GitDirectory"/>, when set, becomes <c>GIT_DIR</c>, so git
/// works on exactly that repository and never searches parent directories.
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
}
