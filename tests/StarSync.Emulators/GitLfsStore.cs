using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// A Git LFS server (Batch API, basic transfer adapter) over objects stored on disk by oid, one store per repository
/// key. The caller authenticates the batch request exactly like its git endpoints; each batch answer carries hrefs back
/// at the emulator with a one-off transfer token in the query (as real servers hand out signed URLs), which the
/// transfer endpoints also accept instead of the git credentials.
/// </summary>
internal sealed class GitLfsStore(string root, bool allowUpload)
{
    public const string MediaType = "application/vnd.git-lfs+json";
    public const string Marker = "/info/lfs/";

    private readonly ConcurrentDictionary<string, string> _transferTokens = new(StringComparer.Ordinal);

    /// <summary>Splits <c>/{repo}.git/info/lfs/{rest}</c> into the repository part (without leading '/') and the rest.</summary>
    public static bool TryMatch(string requestPath, out string repositoryPath, out string lfsPath)
    {
        var index = requestPath.IndexOf(Marker, StringComparison.Ordinal);
        if (index <= 1)
        {
            (repositoryPath, lfsPath) = ("", "");
            return false;
        }
        repositoryPath = requestPath[1..index];
        lfsPath = requestPath[(index + Marker.Length)..];
        return true;
    }

    /// <summary>A request to a transfer href that carries a token this store issued for <paramref name="key"/>.</summary>
    public bool HasTransferToken(HttpRequest request, string key) =>
        request.Query["token"].ToString() is { Length: > 0 } token && _transferTokens.TryGetValue(token, out var owner) && owner == key;

    /// <summary>Objects stored for <paramref name="key"/>.</summary>
    public int Count(string key)
    {
        var directory = Path.Combine(root, key);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) : 0;
    }

    /// <summary>Stores an object directly (test setup), returning its oid.</summary>
    public string Put(string key, byte[] content)
    {
        var oid = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = ObjectPath(key, oid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return oid;
    }

    /// <summary>
    /// Serves <paramref name="lfsPath"/> (<c>objects/batch</c> or <c>objects/{oid}</c>) for the repository stored under
    /// <paramref name="key"/>; <paramref name="hrefBase"/> is the absolute URL of the repository's <c>info/lfs/</c>.
    /// </summary>
    public async Task HandleAsync(HttpContext http, string key, string lfsPath, Uri hrefBase)
    {
        if (lfsPath == "objects/batch" && HttpMethods.IsPost(http.Request.Method))
        {
            await BatchAsync(http, key, hrefBase);
            return;
        }
        if (lfsPath.StartsWith("objects/", StringComparison.Ordinal) && IsOid(lfsPath["objects/".Length..]))
        {
            var oid = lfsPath["objects/".Length..];
            if (HttpMethods.IsGet(http.Request.Method))
            {
                await DownloadAsync(http, key, oid);
                return;
            }
            if (HttpMethods.IsPut(http.Request.Method) && allowUpload)
            {
                await UploadAsync(http, key, oid);
                return;
            }
        }
        if (lfsPath.StartsWith("locks", StringComparison.Ordinal))
        {
            await ErrorAsync(http, 404, "Locking is not supported");
            return;
        }
        await ErrorAsync(http, 404, "Not found");
    }

    private async Task BatchAsync(HttpContext http, string key, Uri hrefBase)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            await ErrorAsync(http, 422, "Malformed batch request");
            return;
        }
        var operation = body?["operation"]?.GetValue<string>();
        if (operation is not ("download" or "upload") || body?["objects"] is not JsonArray objects)
        {
            await ErrorAsync(http, 422, "Unsupported operation or no objects");
            return;
        }
        if (operation == "upload" && !allowUpload)
        {
            await ErrorAsync(http, 403, "Write access denied: this server is read-only for Git LFS");
            return;
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _transferTokens[token] = key;
        var answers = new JsonArray();
        foreach (var item in objects)
        {
            var oid = item?["oid"]?.GetValue<string>() ?? "";
            var size = item?["size"]?.GetValue<long>() ?? 0;
            var answer = new JsonObject { ["oid"] = oid, ["size"] = size };
            var exists = IsOid(oid) && File.Exists(ObjectPath(key, oid));
            var href = new Uri(hrefBase, "objects/" + oid + "?token=" + token).ToString();
            if (!IsOid(oid))
            {
                answer["error"] = new JsonObject { ["code"] = 422, ["message"] = "Invalid oid" };
            }
            else if (operation == "download")
            {
                if (exists)
                {
                    answer["size"] = new FileInfo(ObjectPath(key, oid)).Length;
                    answer["authenticated"] = true;
                    answer["actions"] = new JsonObject { ["download"] = new JsonObject { ["href"] = href, ["expires_in"] = 3600 } };
                }
                else
                {
                    answer["error"] = new JsonObject { ["code"] = 404, ["message"] = "Object does not exist" };
                }
            }
            else if (!exists)
            {
                // Upload: an object the server already has gets no actions, so the client skips it.
                answer["authenticated"] = true;
                answer["actions"] = new JsonObject { ["upload"] = new JsonObject { ["href"] = href, ["expires_in"] = 3600 } };
            }
            answers.Add(answer);
        }
        var response = new JsonObject { ["transfer"] = "basic", ["objects"] = answers, ["hash_algo"] = "sha256" };
        await HttpResults.TextAsync(http, 200, response.ToJsonString(), MediaType);
    }

    private async Task DownloadAsync(HttpContext http, string key, string oid)
    {
        var path = ObjectPath(key, oid);
        if (!File.Exists(path))
        {
            await ErrorAsync(http, 404, "Object does not exist");
            return;
        }
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = new FileInfo(path).Length;
        await using var file = File.OpenRead(path);
        await file.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private async Task UploadAsync(HttpContext http, string key, string oid)
    {
        var path = ObjectPath(key, oid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            await using (var file = File.Create(temporary))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                }
            }
            if (!string.Equals(Convert.ToHexStringLower(sha.GetHashAndReset()), oid, StringComparison.Ordinal))
            {
                File.Delete(temporary);
                await ErrorAsync(http, 422, "The content does not match the oid");
                return;
            }
        }
        File.Move(temporary, path, overwrite: true);
        await HttpResults.EmptyAsync(http, 200);
    }

    private string ObjectPath(string key, string oid) =>
        Path.Combine(root, key, oid[..2], oid[2..4], oid);

    private static bool IsOid(string value) =>
        value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    internal static Task ErrorAsync(HttpContext http, int status, string message) =>
        HttpResults.TextAsync(http, status, new JsonObject { ["message"] = message }.ToJsonString(), MediaType);

    internal static string KeyFor(long id) => id.ToString(CultureInfo.InvariantCulture);
}
