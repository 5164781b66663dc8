namespace StarSync.Emulators;

/// <summary>One git smart-HTTP request mapped onto a repository on disk.</summary>
/// <param name="ProjectRoot">Directory that holds the bare repositories (GIT_PROJECT_ROOT).</param>
/// <param name="PathInfo">Path below the root, e.g. <c>/42.git/info/refs</c> (PATH_INFO).</param>
/// <param name="AllowReceivePack">Whether pushes are allowed (<c>http.receivepack</c>).</param>
/// <param name="RemoteUser">Authenticated user name, if any (REMOTE_USER).</param>
/// <param name="RejectPush">
/// When set, a push is refused by a pre-receive hook in <see cref="RejectPush"/>'s directory that prints its message,
/// so the client sees it as <c>remote: &lt;message&gt;</c> (a server reporting trouble of its own).
/// </param>
internal sealed record GitBackendRequest(
    string ProjectRoot, string PathInfo, bool AllowReceivePack, string? RemoteUser, (string HooksDirectory, string Message)? RejectPush = null);
