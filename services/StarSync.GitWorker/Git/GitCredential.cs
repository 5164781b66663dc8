using System.Text;

namespace StarSync.GitWorker.Git;

/// <summary>
/// An HTTP <c>Authorization</c> header that git sends only to one origin (scheme, host and port), given to git as
/// an <c>http.&lt;origin&gt;.extraHeader</c> entry in its environment: never in a URL, an argument or a config file.
/// </summary>
internal sealed class GitCredential
{
    private GitCredential(string scope, string header, IReadOnlyList<string> secrets)
    {
        Scope = scope;
        Header = header;
        Secrets = secrets;
    }

    /// <summary>The origin the header is limited to, e.g. <c>https://github.com/</c>.</summary>
    public string Scope { get; }

    /// <summary>The full header line, e.g. <c>Authorization: Bearer ...</c>. Secret.</summary>
    public string Header { get; }

    /// <summary>Every form of the secret that could appear in output, for redaction.</summary>
    public IReadOnlyList<string> Secrets { get; }

    /// <summary>The config key git matches against the remote URL.</summary>
    public string ConfigKey => $"http.{Scope}.extraHeader";

    /// <summary>GitHub's form for git over HTTPS: Basic with user <c>x-access-token</c>; null without a token.</summary>
    public static GitCredential? GitHub(string url, string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
        return new GitCredential(OriginOf(url), $"Authorization: Basic {basic}", [token, basic]);
    }

    /// <summary>A bearer token (OneDev's git filter accepts its access tokens this way).</summary>
    public static GitCredential Bearer(string url, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new GitCredential(OriginOf(url), $"Authorization: Bearer {token}", [token]);
    }

    /// <summary><c>scheme://host[:port]/</c> of an absolute http(s) URL, without user information.</summary>
    public static string OriginOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("Credentials can only be scoped to an absolute http(s) URL.", nameof(url));
        }
        return $"{uri.Scheme}://{uri.Authority}/";
    }

    public override string ToString() => $"GitCredential {{ Scope = {Scope} }}";
}
