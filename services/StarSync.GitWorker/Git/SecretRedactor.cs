using System.Text.RegularExpressions;

namespace StarSync.GitWorker.Git;

/// <summary>
/// Removes credentials from git's output before it is logged or put into an event: every configured secret (as
/// given and URL-encoded), the value of any <c>Authorization:</c> header, and <c>user:password@</c> in URLs.
/// </summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
            .Distinct(StringComparer.Ordinal)
            // Longest first, so that a secret containing another one is removed whole.
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        text = AuthorizationHeader().Replace(text, "${name}" + Mask);
        return UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");
    }

    [GeneratedRegex(@"(?<name>(?:proxy-)?authorization\s*:\s*)[^\r\n]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<scheme>\b[a-z][a-z0-9+.\-]*://)[^/\s@'""]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();
}
