using System.Globalization;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class GitHubEmulator
{
    private static readonly string[] GitSuffixes = ["/info/refs", "/git-upload-pack", "/git-receive-pack"];

    /// <summary>
    /// Read-only git smart HTTP at <c>/{owner}/{repo}(.git)?/...</c>. Public repositories are anonymous. For a
    /// private or unknown repository, anonymous requests and bad credentials get 401 with
    /// <c>WWW-Authenticate: Basic realm="GitHub"</c>: anonymous git then asks for credentials, and git that already
    /// sent credentials fails with "Authentication failed", which is how git against github.com reports a bad token.
    /// (GitHub answers 404 "Repository not found." on some paths when valid credentials cannot see the repository;
    /// the emulator does that for an unknown repository with a valid token.) Pushes answer 403.
    /// </summary>
    private async Task HandleGitAsync(HttpContext http, string requestPath)
    {
        if (GitLfsStore.TryMatch(requestPath, out var lfsRepository, out var lfsPath))
        {
            await HandleLfsAsync(http, lfsRepository, lfsPath);
            return;
        }

        var suffix = GitSuffixes.FirstOrDefault(s => requestPath.EndsWith(s, StringComparison.Ordinal));
        var segments = suffix is null ? [] : requestPath[1..^suffix.Length].Split('/');
        if (suffix is null || segments.Length != 2 || segments.Any(s => s.Length == 0))
        {
            await HttpResults.TextAsync(http, 404, "Not Found");
            return;
        }

        int? failStatus = null;
        lock (_gate)
        {
            if (_failGitCount > 0)
            {
                _failGitCount--;
                failStatus = _failGitStatus;
            }
        }

        if (failStatus is int status)
        {
            await HttpResults.TextAsync(http, status, "Internal Server Error");
            return;
        }

        var name = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        var (invalid, user) = Authenticate(http.Request);
        EmulatedRepository? repository;
        lock (_gate)
        {
            repository = FindLocked(segments[0] + "/" + name, followRedirects: true);
        }

        var visible = repository is not null && (!repository.IsPrivate || user is not null);
        if (invalid || (!visible && user is null))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
            await HttpResults.TextAsync(
                http, 401, invalid ? "Invalid username or token. Password authentication is not supported for Git operations.\n" : "Authentication required\n");
            return;
        }

        if (!visible)
        {
            await HttpResults.TextAsync(http, 404, "Repository not found.\n");
            return;
        }

        var service = suffix == "/info/refs" ? http.Request.Query["service"].ToString() : suffix[1..];
        if (service == "git-receive-pack")
        {
            await HttpResults.TextAsync(http, 403, $"Permission to {repository!.FullName}.git denied to {user ?? "anonymous"}.\n");
            return;
        }

        var expectedMethod = suffix == "/info/refs" ? HttpMethods.Get : HttpMethods.Post;
        if (service != "git-upload-pack" || !string.Equals(http.Request.Method, expectedMethod, StringComparison.Ordinal))
        {
            await HttpResults.TextAsync(http, 403, "Dumb HTTP is not supported.\n");
            return;
        }

        var isLsRefs = suffix == "/git-upload-pack" && await GitHttpBackend.IsLsRefsRequestAsync(http.Request);
        if (suffix == "/git-upload-pack" && !isLsRefs && TakeFetchFault() is { } fetchFault)
        {
            await GitHttpBackend.ErrorPacketAsync(http, fetchFault);
            return;
        }

        var pathInfo = "/" + repository!.Id.ToString(CultureInfo.InvariantCulture) + ".git" + suffix;
        var body = http.Response.Body;
        await using var counting = new CountingStream(body);
        http.Response.Body = counting;
        int answered;
        try
        {
            answered = await GitHttpBackend.ServeAsync(http, new GitBackendRequest(_root, pathInfo, AllowReceivePack: false, user));
        }
        finally
        {
            http.Response.Body = body;
            lock (_gate)
            {
                _uploadPackBytes[repository.Id] = _uploadPackBytes.GetValueOrDefault(repository.Id) + counting.BytesWritten;
            }
        }

        if (answered == 200 && suffix == "/git-upload-pack" && !isLsRefs)
        {
            lock (_gate)
            {
                _uploadPacks[repository.Id] = _uploadPacks.GetValueOrDefault(repository.Id) + 1;
            }
        }
    }
}
