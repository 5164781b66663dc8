using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace StarSync.Deploy.Tests;

/// <summary>
/// compose.yaml read with YamlDotNet's node model (anchors and aliases resolved), reduced to the fields the
/// tests check, plus compose's variable interpolation syntax (<c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR:?message}</c>).
/// </summary>
internal sealed partial class ComposeFile
{
    private ComposeFile(
        string text, IReadOnlyList<string> scalars, IReadOnlyDictionary<string, ComposeService> services, IReadOnlySet<string> namedVolumes)
    {
        Text = text;
        Scalars = scalars;
        Services = services;
        NamedVolumes = namedVolumes;
    }

    public string Text { get; }

    /// <summary>Every scalar of the document (keys and values, no comments): where compose interpolates.</summary>
    public IReadOnlyList<string> Scalars { get; }

    /// <summary>Every <c>${...}</c> reference in the document.</summary>
    public IEnumerable<Interpolation> AllInterpolations => Scalars.SelectMany(Interpolations);

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public IReadOnlySet<string> NamedVolumes { get; }

    public static ComposeFile Load() => Parse(RepositoryRoot.ReadText("compose.yaml"));

    public static ComposeFile Parse(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
        var serviceNodes = Mapping(root, "services") ?? throw new InvalidOperationException("compose.yaml has no services");
        foreach (var (key, value) in serviceNodes.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            services[name] = ReadService(name, (YamlMappingNode)value);
        }
        var volumes = Mapping(root, "volumes")?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet(StringComparer.Ordinal)
            ?? [];
        return new ComposeFile(text, [.. root.AllNodes.OfType<YamlScalarNode>().Select(n => n.Value ?? "")], services, volumes);
    }

    /// <summary>One <c>${...}</c> reference in a value.</summary>
    public sealed record Interpolation(string Variable, string? Operator, string? Argument);

    /// <summary>The interpolations in <paramref name="value"/>; <c>$$</c> (a literal dollar) is skipped.</summary>
    public static IReadOnlyList<Interpolation> Interpolations(string value) =>
        [.. InterpolationPattern().Matches(value.Replace("$$", "", StringComparison.Ordinal))
            .Select(m => new Interpolation(
                m.Groups["name"].Value,
                m.Groups["op"].Success ? m.Groups["op"].Value : null,
                m.Groups["arg"].Success ? m.Groups["arg"].Value : null))];

    /// <summary>
    /// The value compose would produce with none of the variables set, where that is defined: defaults are used,
    /// a plain <c>${VAR}</c> becomes empty. Null when a required variable (<c>:?</c>) is involved.
    /// </summary>
    public static string? ValueWithDefaults(string value)
    {
        var required = false;
        var result = InterpolationPattern().Replace(value.Replace("$$", "\0", StringComparison.Ordinal), m =>
        {
            var op = m.Groups["op"].Value;
            if (op.EndsWith('?'))
            {
                required = true;
            }
            return op.EndsWith('-') ? m.Groups["arg"].Value : "";
        });
        return required ? null : result.Replace("\0", "$", StringComparison.Ordinal);
    }

    public static TimeSpan ParseTimeSpan(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static ComposeService ReadService(string name, YamlMappingNode node)
    {
        string? context = null, dockerfile = null;
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(node, "build"))
        {
            case YamlScalarNode scalar:
                context = scalar.Value;
                break;
            case YamlMappingNode build:
                context = Scalar(build, "context");
                dockerfile = Scalar(build, "dockerfile");
                args = KeyValues(Child(build, "args"));
                break;
        }
        var dependsOn = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(node, "depends_on"))
        {
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlScalarNode>())
                {
                    dependsOn[item.Value!] = "service_started";
                }
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    dependsOn[((YamlScalarNode)key).Value!] =
                        (value as YamlMappingNode is { } m ? Scalar(m, "condition") : null) ?? "service_started";
                }
                break;
        }
        var volumes = Child(node, "volumes") is YamlSequenceNode volumeList
            ? volumeList.Children.Select(v => v switch
            {
                YamlScalarNode s => s.Value!,
                YamlMappingNode m => $"{Scalar(m, "source")}:{Scalar(m, "target")}",
                _ => "",
            }).ToList()
            : [];
        var healthcheck = Child(node, "healthcheck") is YamlMappingNode h
            ? Child(h, "test") switch
            {
                YamlSequenceNode s => s.Children.OfType<YamlScalarNode>().Select(x => x.Value!).ToList(),
                YamlScalarNode s => ["CMD-SHELL", s.Value!],
                _ => [],
            }
            : [];
        int? replicas = Child(node, "deploy") is YamlMappingNode deploy && Scalar(deploy, "replicas") is { } r
            ? int.Parse(r, CultureInfo.InvariantCulture)
            : null;
        return new ComposeService(name, Scalar(node, "image"), context, dockerfile, args, KeyValues(Child(node, "environment")),
            dependsOn, volumes, healthcheck, Scalar(node, "restart"), replicas);
    }

    /// <summary>A mapping or a <c>KEY=VALUE</c> list (both allowed for environment and build args).</summary>
    private static Dictionary<string, string> KeyValues(YamlNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    result[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value ?? "";
                }
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlScalarNode>())
                {
                    var text = item.Value ?? "";
                    var equals = text.IndexOf('=', StringComparison.Ordinal);
                    result[equals < 0 ? text : text[..equals]] = equals < 0 ? "" : text[(equals + 1)..];
                }
                break;
        }
        return result;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static YamlMappingNode? Mapping(YamlMappingNode node, string key) => Child(node, key) as YamlMappingNode;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?+])(?<arg>[^}]*))?\}")]
    private static partial Regex InterpolationPattern();
}
