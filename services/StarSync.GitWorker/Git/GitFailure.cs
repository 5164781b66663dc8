using System.Globalization;
using System.Text.RegularExpressions;

namespace StarSync.GitWorker.Git;

/// <summary>
/// Why a git command failed, in words, and whether trying again later can help. Built from git's (already
/// redacted) output, which <see cref="GitCli"/> asks for in the C locale so these patterns hold.
/// <paramref name="RetryAt"/>: GitHub asked to wait until then (a rate limit). <paramref name="UpstreamGone"/>: GitHub
/// no longer serves the repository under its id (<c>deleted</c>, <c>blocked</c>).
/// </summary>
internal sealed partial record GitFailure(string Reason, bool Transient, DateTimeOffset? RetryAt = null, string? UpstreamGone = null)
{
    private const int MaxDetailLength = 600;

    /// <summary>Text patterns after the HTTP status; the first match wins. Anything unrecognised counts as transient.</summary>
    private static readonly (string Pattern, string Cause, bool Transient)[] Patterns =
    [
        ("authentication failed", "authentication failed", false),
        ("could not read username", "credentials were required but missing or refused", false),
        ("could not read password", "credentials were required but missing or refused", false),
        ("invalid username or password", "authentication failed", false),
        ("repository not found", "repository not found", false),
        ("hook declined", "a ref was rejected by a server hook", false),
        ("deletion of the current branch prohibited", "the server refused to delete its default branch", false),
        ("protected branch", "a ref is protected on the server", false),
        ("could not resolve host", "could not resolve host", true),
        ("could not resolve proxy", "could not resolve proxy", true),
        ("connection refused", "connection refused", true),
        ("failed to connect", "could not connect", true),
        ("couldn't connect to server", "could not connect", true),
        ("connection reset", "connection reset", true),
        ("connection timed out", "connection timed out", true),
        ("timed out", "timed out", true),
        ("operation too slow", "transfer stalled", true),
        ("early eof", "early EOF", true),
        ("unexpected disconnect", "unexpected disconnect", true),
        ("remote end hung up", "the remote end hung up", true),
        ("rpc failed", "RPC failed", true),
        ("cannot lock ref", "a ref was locked on the server", true),
        ("failed to lock", "a ref was locked on the server", true),
    ];

    /// <summary>A failure of <paramref name="operation"/> (e.g. "fetch from GitHub") judged from its output.</summary>
    public static GitFailure Classify(string operation, int exitCode, string redactedOutput)
    {
        var detail = Detail(redactedOutput, exitCode);
        var (cause, transient) = Cause(redactedOutput);
        return new GitFailure($"{operation} failed: {cause} ({detail})", transient);
    }

    /// <summary>The job ran out of time; the next attempt may be luckier.</summary>
    public static GitFailure TimedOut(string operation, TimeSpan after) =>
        new($"{operation} timed out after {after.ToString("c", CultureInfo.InvariantCulture)}", true);

    /// <summary>One git command outlived its bound and was killed; the next attempt may be luckier.</summary>
    public static GitFailure CommandTimedOut(string operation, string command, TimeSpan bound, string setting, bool inactive)
    {
        var after = bound.ToString("c", CultureInfo.InvariantCulture);
        var what = inactive ? $"printed nothing, not even progress, for {after}" : $"did not finish within {after}";
        return new($"{operation} failed: git {command} {what} ({setting}) and was killed", true);
    }

    private static (string Cause, bool Transient) Cause(string output)
    {
        var status = HttpStatus().Match(output);
        if (status.Success)
        {
            var code = int.Parse(status.Groups["code"].ValueSpan, CultureInfo.InvariantCulture);
            switch (code)
            {
                case 401:
                    return ("authentication failed (HTTP 401)", false);
                case 403:
                    return ("access denied (HTTP 403)", false);
                case 404:
                    return ("repository not found (HTTP 404)", false);
                case 408 or 429:
                    return ($"the server asked to try later (HTTP {code})", true);
                case >= 500:
                    return ($"server error (HTTP {code})", true);
            }
        }
        foreach (var (pattern, cause, transient) in Patterns)
        {
            if (output.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return (cause, transient);
            }
        }
        if (MissingRepository().IsMatch(output))
        {
            return ("repository not found", false);
        }
        return ("unrecognised git error", true);
    }

    /// <summary>git's own words: the fatal/error/remote/rejection lines, or the last line, shortened.</summary>
    private static string Detail(string output, int exitCode)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines = [.. lines.Where(l => !ProgressLine().IsMatch(l))];
        var relevant = lines.Where(l =>
            l.StartsWith("fatal:", StringComparison.Ordinal) ||
            l.StartsWith("error:", StringComparison.Ordinal) ||
            l.StartsWith('!') ||
            (l.StartsWith("remote:", StringComparison.Ordinal) && l.Length > "remote:".Length)).ToList();
        var text = relevant.Count > 0 ? string.Join(" | ", relevant) : lines.LastOrDefault() ?? "";
        text = text.Replace('\t', ' ');
        if (text.Length > MaxDetailLength)
        {
            text = string.Concat(text.AsSpan(0, MaxDetailLength), "…");
        }
        return text.Length == 0 ? $"git exited with code {exitCode}" : $"git exited with code {exitCode}: {text}";
    }

    [GeneratedRegex(@"(?:returned error:|RPC failed; HTTP)\s*(?<code>[1-5][0-9]{2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpStatus();

    /// <summary>git's and git-lfs's progress ("Receiving objects:  42% (5/12)", "remote: Total 3 (delta 0)"): never the reason.</summary>
    [GeneratedRegex(@"^(?:remote:\s*)?(?:[A-Z][A-Za-z ]*:\s+\d|Total \d)", RegexOptions.CultureInvariant)]
    private static partial Regex ProgressLine();

    [GeneratedRegex(@"repository '[^']*' not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MissingRepository();
}
