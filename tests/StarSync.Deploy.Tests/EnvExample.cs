using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>.env.example: <c>NAME=value</c> lines, and commented <c># NAME=value</c> lines for optional ones.</summary>
internal static class EnvExample
{
    public static IReadOnlyDictionary<string, string> Entries()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(RepositoryRoot.File(".env.example")))
        {
            var match = Regex.Match(line, @"^\s*#?\s*([A-Z][A-Z0-9_]*)=(.*)$");
            if (match.Success)
            {
                entries[match.Groups[1].Value] = match.Groups[2].Value;
            }
        }
        return entries;
    }

    public static IReadOnlySet<string> Variables() => Entries().Keys.ToHashSet(StringComparer.Ordinal);
}
