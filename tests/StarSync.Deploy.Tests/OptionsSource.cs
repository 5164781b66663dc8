using System.Globalization;
using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>
/// The options classes of services/ and shared/, read as source text (no project references): each class that
/// declares <c>const string Section = "..."</c>, its settable properties and their initialisers.
/// </summary>
internal static partial class OptionsSource
{
    public sealed record OptionsClass(string Section, string File, string Project, IReadOnlyDictionary<string, string?> Properties);

    public static IReadOnlyList<OptionsClass> All { get; } = Load();

    public static OptionsClass Section(string section)
    {
        var matches = All.Where(c => c.Section == section).ToList();
        Assert.True(matches.Count == 1, $"expected one options class with Section = \"{section}\", found {matches.Count}");
        return matches[0];
    }

    /// <summary>The TimeSpan a property is initialised to (<c>TimeSpan.FromMinutes(30)</c> and the like).</summary>
    public static TimeSpan DefaultTimeSpan(string section, string property)
    {
        Assert.True(Section(section).Properties.TryGetValue(property, out var initialiser), $"{section} has no property {property}");
        var match = TimeSpanInitialiser().Match(initialiser ?? "");
        Assert.True(match.Success, $"{section}:{property} is not initialised with TimeSpan.FromX(n): {initialiser}");
        var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "Milliseconds" => TimeSpan.FromMilliseconds(n),
            "Seconds" => TimeSpan.FromSeconds(n),
            "Minutes" => TimeSpan.FromMinutes(n),
            "Hours" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    private static List<OptionsClass> Load()
    {
        var result = new List<OptionsClass>();
        foreach (var root in (string[])["services", "shared"])
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryRoot.File(root), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
                if (relative.Split('/') is var parts && (parts.Contains("bin") || parts.Contains("obj")))
                {
                    continue;
                }
                var text = File.ReadAllText(file);
                var section = SectionConstant().Match(text);
                if (!section.Success)
                {
                    continue;
                }
                var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (Match property in SettableProperty().Matches(text))
                {
                    properties[property.Groups["name"].Value] = property.Groups["init"].Success ? property.Groups["init"].Value.Trim() : null;
                }
                result.Add(new OptionsClass(section.Groups[1].Value, relative, relative.Split('/')[1], properties));
            }
        }
        return result;
    }

    [GeneratedRegex(@"const\s+string\s+Section\s*=\s*""([^""]+)""\s*;")]
    private static partial Regex SectionConstant();

    [GeneratedRegex(@"(?m)^\s*public\s+(?!static|const)[\w<>?,.\[\] ]+?\s+(?<name>\w+)\s*\{\s*get;\s*set;\s*\}(?:\s*=\s*(?<init>[^;]+);)?")]
    private static partial Regex SettableProperty();

    [GeneratedRegex(@"^TimeSpan\.From(?<unit>Milliseconds|Seconds|Minutes|Hours|Days)\((?<n>[0-9.]+)\)$")]
    private static partial Regex TimeSpanInitialiser();
}
