using System.Globalization;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class OneDevEmulator
{
    private static readonly string[] GitSuffixes = ["/info/refs", "/git-upload-pack", "/git-receive-pack"];

    /// <summary>Git smart HTTP at <c>/{path}(.git)?/info/refs|git-upload-pack|git-receive-pack</c>, as OneDev's GitFilter.</summary>
    private async Task HandleGitAsync(HttpContext http, string requestPath)
    {
        if (GitLfsStore.TryMatch(requestPath, out var lfsRepository, out var lfsPath))
        {
            var (lfsFail, lfsStatus) = TakeGitFault();
            if (lfsFail)
            {
                await HttpResults.TextAsync(http, lfsStatus, "Internal server error");
                return;
            }

            await HandleLfsAsync(http, lfsRepository, lfsPath);
            return;
        }

        var suffix = GitSuffixes.FirstOrDefault(s => requestPath.EndsWith(s, StringComparison.Ordinal));
        if (suffix is null || requestPath.Length <= suffix.Length + 1)
        {
            await HttpResults.TextAsync(http, 404, "Not found");
            return;
        }

        var (fail, failStatus) = TakeGitFault();
        if (fail)
        {
            await HttpResults.TextAsync(http, failStatus, "Internal server error");
            return;
        }

        var credentials = Authenticate(http.Request);
        if (credentials.IsInvalid)
        {
            // AuthenticationException: no challenge, so git reports the failure instead of retrying.
            await HttpResults.TextAsync(http, 401, "Invalid account or incorrect credentials");
            return;
        }

        var requested = requestPath[1..^suffix.Length];
        if (credentials.Principal is not { } principal)
        {
            // Anonymous access is disabled, so no project is visible: challenge so git sends credentials.
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"OneDev\"";
            await HttpResults.TextAsync(http, 401, "Authentication required");
            return;
        }

        ProjectEntry? project;
        string projectPath;
        lock (_gate)
        {
            // GitFilter tries the path as-is first, then without a trailing ".git"; lookup is case-insensitive.
            project = FindByPath(requested);
            projectPath = requested;
            if (project is null && requested.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            {
                projectPath = requested[..^4];
                project = FindByPath(projectPath);
            }
        }

        if (project is null || !principal.OwnerPermissions)
        {
            await HttpResults.TextAsync(http, 404, "Project not found or inaccessible: " + projectPath);
            return;
        }

        var service = suffix == "/info/refs" ? http.Request.Query["service"].ToString() : suffix[1..];
        var expectedMethod = suffix == "/info/refs" ? HttpMethods.Get : HttpMethods.Post;
        if (!string.Equals(http.Request.Method, expectedMethod, StringComparison.Ordinal) || service is not ("git-upload-pack" or "git-receive-pack"))
        {
            // There is no dumb-HTTP support.
            await HttpResults.TextAsync(http, 400, "Only smart http protocol is supported");
            return;
        }

        if (suffix == "/git-receive-pack" && !await PassReceivePackGateAsync(http))
        {
            return;
        }

        var isLsRefs = suffix == "/git-upload-pack" && await GitHttpBackend.IsLsRefsRequestAsync(http.Request);
        if (suffix == "/git-upload-pack" && !isLsRefs && TakeTransferFault(push: false) is { } fetchFault)
        {
            await GitHttpBackend.ErrorPacketAsync(http, fetchFault);
            return;
        }

        var pushFault = suffix == "/git-receive-pack" ? TakeTransferFault(push: true) : null;
        var tipsBefore = suffix == "/git-receive-pack" ? RefTips(RepositoryDirectory(project.Id)) : null;
        var pathInfo = "/" + project.Id.ToString(CultureInfo.InvariantCulture) + ".git" + suffix;
        var status = await GitHttpBackend.ServeAsync(http, new GitBackendRequest(
            _repositoriesRoot, pathInfo, AllowReceivePack: true, principal.UserName,
            pushFault is null ? null : (Path.Combine(_root, "reject-push-hooks"), pushFault)));
        if (status != 200 || suffix == "/info/refs")
        {
            return;
        }

        if (suffix == "/git-receive-pack")
        {
            AfterPush(project);
            RecordJobTriggers(projectPath, RepositoryDirectory(project.Id), tipsBefore!);
            Increment(_receivePacks, project.Id);
            Interlocked.Increment(ref _totalReceivePacks);
        }
        else if (!isLsRefs)
        {
            Increment(_uploadPacks, project.Id);
        }
    }

    /// <summary>GitPostReceiveCallback: when HEAD's target does not exist, link HEAD to a pushed branch.</summary>
    private void AfterPush(ProjectEntry project)
    {
        var directory = RepositoryDirectory(project.Id);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var branches = GitCommand.Branches(directory);
        var head = GitCommand.HeadBranch(directory);
        if (branches.Count > 0 && (head is null || !branches.Contains(head, StringComparer.Ordinal)))
        {
            GitCommand.SetHead(directory, branches[0]);
        }

        lock (_gate)
        {
            project.LastActivityDate = DateTimeOffset.UtcNow;
        }
    }
}
