using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using StarSync.Contracts;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// Turns <see cref="ProjectsOptions.NameTemplate"/> and a repository into OneDev path segments. OneDev's UI only
/// accepts names matching <c>\w[\w-.]*</c> (ASCII word characters), but its REST API does not check, so StarSync must.
/// </summary>
internal static class ProjectNaming
{
    public const string OwnerPlaceholder = "{owner}";
    public const string RepoPlaceholder = "{repo}";

    /// <summary>Longest segment StarSync produces; longer names are cut and get a short hash for uniqueness.</summary>
    public const int MaxSegmentLength = 100;

    /// <summary>Most levels a template may have.</summary>
    public const int MaxLevels = 8;

    private const int HashLength = 8;

    /// <summary>The sanitised path segments for <paramref name="repository"/>, root first; never empty.</summary>
    public static IReadOnlyList<string> Render(string template, GitHubRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        string? error = TemplateErrors(template).FirstOrDefault();
        if (error is not null)
        {
            throw new ArgumentException($"Invalid name template '{template}': {error}", nameof(template));
        }

        // Split first, so a '/' inside an owner or repository name can never add a level.
        return template.Split('/')
            .Select(segment => Sanitize(segment
                .Replace(OwnerPlaceholder, repository.Owner, StringComparison.Ordinal)
                .Replace(RepoPlaceholder, repository.Name, StringComparison.Ordinal)))
            .ToArray();
    }

    /// <summary>The path for a list of segments.</summary>
    public static string Join(IEnumerable<string> segments)
    {
        return string.Join('/', segments);
    }

    /// <summary>
    /// Makes <paramref name="segment"/> a OneDev name: characters other than ASCII letters, digits, '_', '-' and '.'
    /// become '-'; runs of '-' collapse; leading and trailing '-' go; a leading '.' gets a '_' in front (names must
    /// start with a word character); a trailing <c>.git</c> becomes <c>-git</c> (OneDev's git URL handling would
    /// strip it); names longer than <see cref="MaxSegmentLength"/> are cut and end in a hash of the full name; an
    /// empty result becomes <c>_</c>.
    /// </summary>
    public static string Sanitize(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        StringBuilder sb = new(segment.Length + 1);
        foreach (char c in segment)
        {
            char next = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-';
            if (next == '-' && sb.Length > 0 && sb[^1] == '-')
            {
                continue;
            }

            sb.Append(next);
        }

        string name = sb.ToString().Trim('-');
        if (name.Length == 0)
        {
            return "_";
        }

        if (name[0] == '.')
        {
            name = "_" + name;
        }

        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            name = string.Concat(name.AsSpan(0, name.Length - 4), "-", name.AsSpan(name.Length - 3));
        }

        if (name.Length > MaxSegmentLength)
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
            name = name[..(MaxSegmentLength - HashLength - 1)].TrimEnd('-', '.') + "-" + hash;
        }

        return name;
    }

    /// <summary>
    /// <paramref name="name"/> (already sanitised) with <paramref name="suffix"/> (e.g. <c>-20260822-2</c>) appended,
    /// cutting the name so the result stays within <see cref="MaxSegmentLength"/>.
    /// </summary>
    public static string WithSuffix(string name, string suffix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrEmpty(suffix);
        int room = MaxSegmentLength - suffix.Length;
        string stem = name.Length > room ? name[..room].TrimEnd('-', '.') : name;
        return Sanitize(stem + suffix);
    }

    /// <summary>The date suffix for the <paramref name="n"/>-th (1-based) alternative name: <c>-yyyyMMdd</c>, then <c>-yyyyMMdd-2</c>, ...</summary>
    public static string DateSuffix(DateTimeOffset now, int n)
    {
        string date = now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return n <= 1 ? $"-{date}" : string.Create(CultureInfo.InvariantCulture, $"-{date}-{n}");
    }

    /// <summary>What is wrong with a template; empty when it is usable.</summary>
    public static IEnumerable<string> TemplateErrors(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            yield return "it is empty.";
            yield break;
        }

        string[] segments = template.Split('/');
        if (segments.Length > MaxLevels)
        {
            yield return $"it has more than {MaxLevels} levels.";
        }

        if (segments.Any(s => s.Trim().Length == 0))
        {
            yield return "it has an empty level (a leading, trailing or doubled '/').";
        }

        string literal = template.Replace(OwnerPlaceholder, "", StringComparison.Ordinal).Replace(RepoPlaceholder, "", StringComparison.Ordinal);
        if (literal.Contains('{', StringComparison.Ordinal) || literal.Contains('}', StringComparison.Ordinal))
        {
            yield return "the only placeholders are {owner} and {repo}.";
        }

        if (!template.Contains(RepoPlaceholder, StringComparison.Ordinal))
        {
            yield return "it must contain {repo}, or every repository would map to the same project.";
        }
    }
}
