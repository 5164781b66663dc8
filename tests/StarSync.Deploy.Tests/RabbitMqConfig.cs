using System.Globalization;
using System.Text.RegularExpressions;

namespace StarSync.Deploy.Tests;

/// <summary>deploy/rabbitmq/rabbitmq.conf (sysctl format: <c>key = value</c>, <c>#</c> comments).</summary>
internal static class RabbitMqConfig
{
    public const string Path = "deploy/rabbitmq/rabbitmq.conf";

    public static IReadOnlyDictionary<string, string> Entries()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(RepositoryRoot.File(Path)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = Regex.Match(line, @"^([A-Za-z0-9_.\-]+)\s*=\s*(.*?)\s*$");
            Assert.True(match.Success, $"{Path}: not a key = value line: {line}");
            Assert.False(entries.ContainsKey(match.Groups[1].Value), $"{Path}: {match.Groups[1].Value} set twice");
            entries[match.Groups[1].Value] = match.Groups[2].Value;
        }
        return entries;
    }

    public static long ConsumerTimeoutMilliseconds()
    {
        Assert.True(Entries().TryGetValue("consumer_timeout", out var value), $"{Path} does not set consumer_timeout");
        return long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
