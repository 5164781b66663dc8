using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>README.md: the rows of its Markdown tables, and the <c>`code`</c> spans of each row.</summary>
internal static partial class Readme
{
    public static IReadOnlyList<string> TableRows() =>
        [.. File.ReadAllLines(RepositoryRoot.File("README.md")).Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal))];

    /// <summary>The <c>`...`</c> spans of a row.</summary>
    public static IReadOnlyList<string> Code(string row) => [.. CodeSpan().Matches(row).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
