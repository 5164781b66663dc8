using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class GitHubEmulator
{
    /// <summary>
    /// Git LFS at <c>/{owner}/{repo}(.git)?/info/lfs/...</c>: download only (uploads answer 403), authenticated like the
    /// git endpoints (public repositories anonymously, private ones with the token), transfer hrefs by issued token.
    /// </summary>
    private async Task HandleLfsAsync(HttpContext http, string repositoryPath, string lfsPath)
    {
        var segments = repositoryPath.Split('/');
        if (segments.Length != 2 || segments.Any(s => s.Length == 0))
        {
            await GitLfsStore.ErrorAsync(http, 404, "Not Found");
            return;
        }

        var name = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        EmulatedRepository? repository;
        lock (_gate)
        {
            repository = FindLocked(segments[0] + "/" + name, followRedirects: true);
        }

        var key = repository is null ? "" : GitLfsStore.KeyFor(repository.Id);
        if (repository is null || !_lfs.HasTransferToken(http.Request, key))
        {
            var (invalid, user) = Authenticate(http.Request);
            var visible = repository is not null && (!repository.IsPrivate || user is not null);
            if (invalid || (!visible && user is null))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
                await GitLfsStore.ErrorAsync(http, 401, "Authentication required");
                return;
            }

            if (!visible)
            {
                await GitLfsStore.ErrorAsync(http, 404, "Repository not found");
                return;
            }
        }

        var hrefBase = new Uri(BaseUrl, repository!.FullName + ".git/info/lfs/");
        await _lfs.HandleAsync(http, key, lfsPath, hrefBase);
    }
}
