using System.Globalization;

namespace StarSync.GitHub;

/// <summary>Parses RFC 8288 Link headers as GitHub writes them: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>.</summary>
internal static class GitHubLinkHeader
{
    /// <summary>rel → URL. Unparseable parts are skipped; a part with several rels (<c>rel="next last"</c>) maps each.</summary>
    public static IReadOnlyDictionary<string, Uri> Parse(string? header)
    {
        var links = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
        {
            return links;
        }

        var position = 0;
        while (position < header.Length)
        {
            var open = header.IndexOf('<', position);
            if (open < 0)
            {
                break;
            }

            var close = header.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }

            var target = header[(open + 1)..close].Trim();
            var next = header.IndexOf('<', close + 1);
            var parameters = next < 0 ? header[(close + 1)..] : header[(close + 1)..next];
            position = next < 0 ? header.Length : next;
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri))
            {
                continue;
            }

            foreach (var parameter in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var value = parameter[(equals + 1)..].Trim().TrimEnd(',').Trim().Trim('"');
                foreach (var rel in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    links.TryAdd(rel, uri);
                }
            }
        }

        return links;
    }

    /// <summary>The <c>page</c> query parameter of a Link URL, or null.</summary>
    public static int? PageOf(Uri? link)
    {
        if (link is null)
        {
            return null;
        }

        foreach (var pair in link.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Uri.UnescapeDataString(pair[..equals]) == "page"
                && int.TryParse(Uri.UnescapeDataString(pair[(equals + 1)..]), NumberStyles.None, CultureInfo.InvariantCulture, out var page))
            {
                return page;
            }
        }

        return null;
    }
}
