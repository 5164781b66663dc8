using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class OneDevEmulator
{
    /// <summary>Git LFS objects stored in the project at <paramref name="projectPath"/>.</summary>
    public int LfsObjectCount(string projectPath)
    {
        long id;
        lock (_gate)
        {
            id = (FindByPath(projectPath) ?? throw new KeyNotFoundException("No project at " + projectPath)).Id;
        }

        return _lfs.Count(GitLfsStore.KeyFor(id));
    }

    /// <summary>
    /// Git LFS at <c>/{path}(.git)?/info/lfs/...</c> (OneDev's GitLfsFilter): upload and download, authenticated like
    /// the git endpoints; transfer hrefs also accept the token the batch answer issued.
    /// </summary>
    private async Task HandleLfsAsync(HttpContext http, string requested, string lfsPath)
    {
        ProjectEntry? project;
        string projectPath;
        lock (_gate)
        {
            project = FindByPath(requested);
            projectPath = requested;
            if (project is null && requested.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            {
                projectPath = requested[..^4];
                project = FindByPath(projectPath);
            }
        }

        var key = project is null ? "" : GitLfsStore.KeyFor(project.Id);
        if (project is null || !_lfs.HasTransferToken(http.Request, key))
        {
            var credentials = Authenticate(http.Request);
            if (credentials.IsInvalid)
            {
                await GitLfsStore.ErrorAsync(http, 401, "Invalid account or incorrect credentials");
                return;
            }

            if (credentials.Principal is not { } principal)
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"OneDev\"";
                await GitLfsStore.ErrorAsync(http, 401, "Authentication required");
                return;
            }

            if (project is null || !principal.OwnerPermissions)
            {
                await GitLfsStore.ErrorAsync(http, 404, "Project not found or inaccessible: " + projectPath);
                return;
            }
        }

        var hrefBase = new Uri(BaseUrl, projectPath + ".git/info/lfs/");
        await _lfs.HandleAsync(http, key, lfsPath, hrefBase);
    }
}
