using System.Diagnostics;
using System.Globalization;
using System.Text;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// Serves git smart HTTP by running <c>git http-backend</c> as a CGI program: the request body is streamed to its
/// stdin, the CGI header block on stdout becomes the HTTP status and headers, and the rest is streamed back.
/// Callers map their own URL layout onto <paramref name="request"/> (a repository directory under a project root),
/// so a later git-lfs handler can sit beside this one on the same router.
/// </summary>
internal static class GitHttpBackend
{
    private const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Runs one request through git http-backend and returns the HTTP status it answered with.</summary>
    public static async Task<int> ServeAsync(HttpContext http, GitBackendRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        var req = http.Request;
        var aborted = http.RequestAborted;

        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("http-backend");
        var env = psi.Environment;
        foreach (var key in env.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            env.Remove(key);
        }

        env["GIT_PROJECT_ROOT"] = request.ProjectRoot;
        env["GIT_HTTP_EXPORT_ALL"] = "1";
        env["PATH_INFO"] = request.PathInfo;
        env["REQUEST_METHOD"] = req.Method;
        env["QUERY_STRING"] = req.QueryString.HasValue ? req.QueryString.Value![1..] : string.Empty;
        env["CONTENT_TYPE"] = req.ContentType ?? string.Empty;
        if (req.ContentLength is long length)
        {
            env["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }

        env["REMOTE_ADDR"] = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        if (request.RemoteUser is not null)
        {
            env["REMOTE_USER"] = request.RemoteUser;
        }

        if (req.Headers.TryGetValue("Git-Protocol", out var protocol))
        {
            env["GIT_PROTOCOL"] = protocol.ToString();
        }

        if (req.Headers.TryGetValue("Content-Encoding", out var encoding))
        {
            env["HTTP_CONTENT_ENCODING"] = encoding.ToString();
        }

        // http-backend enables receive-pack only for authenticated users unless told otherwise; make it explicit.
        env["GIT_CONFIG_COUNT"] = "1";
        env["GIT_CONFIG_KEY_0"] = "http.receivepack";
        env["GIT_CONFIG_VALUE_0"] = request.AllowReceivePack ? "true" : "false";
        if (request.RejectPush is var (hooksDirectory, message))
        {
            WriteRejectingHook(hooksDirectory);
            env["GIT_CONFIG_COUNT"] = "2";
            env["GIT_CONFIG_KEY_1"] = "core.hooksPath";
            env["GIT_CONFIG_VALUE_1"] = hooksDirectory;
            env["STARSYNC_REJECT_PUSH_MESSAGE"] = message;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("git http-backend did not start");
        using var killOnAbort = aborted.Register(() => TryKill(process));

        var stdin = CopyBodyAsync(req.Body, process.StandardInput.BaseStream, aborted);
        var stderr = process.StandardError.ReadToEndAsync(aborted);
        var stdout = process.StandardOutput.BaseStream;

        var (headerBlock, remainder) = await ReadCgiHeadersAsync(stdout, aborted);
        if (headerBlock is null)
        {
            await process.WaitForExitAsync(aborted);
            var error = await stderr;
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("git http-backend failed: " + error, aborted);
            return StatusCodes.Status500InternalServerError;
        }

        var status = ApplyCgiHeaders(http.Response, headerBlock);
        await http.Response.Body.WriteAsync(remainder, aborted);
        await stdout.CopyToAsync(http.Response.Body, aborted);
        await stdin;
        await process.WaitForExitAsync(aborted);
        await stderr;
        return process.ExitCode == 0 ? status : StatusCodes.Status500InternalServerError;
    }

    /// <summary>
    /// True when a POST git-upload-pack body is a protocol v2 <c>command=ls-refs</c> request (what ls-remote and the
    /// first step of a v2 fetch send) rather than a fetch. Peeks at the start of the body and rewinds it.
    /// </summary>
    public static async Task<bool> IsLsRefsRequestAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.ContentEncoding.Count > 0)
        {
            return false; // git only compresses large bodies, which are fetch negotiations
        }

        request.EnableBuffering();
        var buffer = new byte[64];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(filled), request.HttpContext.RequestAborted)) > 0)
        {
            filled += read;
        }

        request.Body.Position = 0;
        return buffer.AsSpan(0, filled).IndexOf("command=ls-refs"u8) >= 0;
    }

    /// <summary>
    /// Answers a fetch (a smart-HTTP <c>git-upload-pack</c> POST) the way a git server reports a fatal error to its
    /// client: 200 with one <c>ERR</c> packet as the body; git prints <c>remote error: &lt;message&gt;</c> and fails.
    /// </summary>
    public static async Task ErrorPacketAsync(HttpContext http, string message)
    {
        ArgumentNullException.ThrowIfNull(http);
        var payload = Encoding.UTF8.GetBytes("ERR " + message + "\n");
        var packet = Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", CultureInfo.InvariantCulture)).Concat(payload).ToArray();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-git-upload-pack-result";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.Body.WriteAsync(packet, http.RequestAborted);
    }

    /// <summary>A pre-receive hook that prints <c>$STARSYNC_REJECT_PUSH_MESSAGE</c> and refuses the push.</summary>
    private static void WriteRejectingHook(string hooksDirectory)
    {
        var hook = Path.Combine(hooksDirectory, "pre-receive");
        if (File.Exists(hook))
        {
            return;
        }
        Directory.CreateDirectory(hooksDirectory);
        File.WriteAllText(hook, "#!/bin/sh\necho \"$STARSYNC_REJECT_PUSH_MESSAGE\" >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task CopyBodyAsync(Stream body, Stream stdin, CancellationToken ct)
    {
        try
        {
            await body.CopyToAsync(stdin, ct);
        }
        catch (IOException)
        {
            // git exited before reading everything (e.g. it refused the request); its answer still counts.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
                // Broken pipe on close: same as above.
            }
        }
    }

    private static async Task<(string? Headers, ReadOnlyMemory<byte> Remainder)> ReadCgiHeadersAsync(Stream stdout, CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var collected = new MemoryStream();
        while (collected.Length < MaxHeaderBytes)
        {
            var read = await stdout.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return (null, ReadOnlyMemory<byte>.Empty);
            }

            collected.Write(buffer, 0, read);
            var bytes = collected.GetBuffer().AsSpan(0, (int)collected.Length);
            var (end, separatorLength) = FindHeaderEnd(bytes);
            if (end >= 0)
            {
                var headers = Encoding.ASCII.GetString(bytes[..end]);
                var rest = bytes[(end + separatorLength)..].ToArray();
                return (headers, rest);
            }
        }

        return (null, ReadOnlyMemory<byte>.Empty);
    }

    private static (int Index, int Length) FindHeaderEnd(ReadOnlySpan<byte> bytes)
    {
        var crlf = bytes.IndexOf("\r\n\r\n"u8);
        var lf = bytes.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            return (crlf, 4);
        }

        return lf >= 0 ? (lf, 2) : (-1, 0);
    }

    private static int ApplyCgiHeaders(HttpResponse response, string headerBlock)
    {
        var status = StatusCodes.Status200OK;
        foreach (var rawLine in headerBlock.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                var code = value.Split(' ', 2)[0];
                status = int.Parse(code, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }

        response.StatusCode = status;
        return status;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
