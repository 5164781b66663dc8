using System.Text;
using System.Text.RegularExpressions;

namespace StarSync.OneDev;

/// <summary>
/// Whether OneDev could run the jobs of a build spec pushed into a project. OneDev runs a job on an enabled
/// executor whose job requirement matches it, and auto-discovers an executor when none is defined at all, so a
/// project is isolated only when executors exist and every enabled one excludes the project. The job match language
/// is read conservatively: only a top-level conjunct <c>"Project" is not "&lt;pattern&gt;"</c> whose pattern covers the
/// path counts as an exclusion (a requirement with <c>or</c>, parentheses or anything else unknown is taken to match).
/// </summary>
public static partial class JobExecutorIsolation
{
    /// <summary>The executors that could run a job of <paramref name="projectPath"/>, or a reason when none is defined.</summary>
    public static IsolationVerdict Evaluate(IReadOnlyList<OneDevJobExecutor> executors, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(executors);
        if (executors.Count == 0)
        {
            return new IsolationVerdict(false, [], "no job executor is defined, so OneDev would discover one and run the jobs");
        }
        var exposed = executors.Where(e => e.Enabled && !ExcludesProject(e.JobRequirement, projectPath)).Select(e => e.Name).ToList();
        return exposed.Count == 0
            ? new IsolationVerdict(true, [], $"every enabled job executor excludes '{projectPath}'")
            : new IsolationVerdict(false, exposed,
                $"job executor(s) {string.Join(", ", exposed.Select(n => $"'{n}'"))} would run jobs of '{projectPath}'");
    }

    /// <summary>Whether <paramref name="requirement"/> certainly rejects every job of <paramref name="projectPath"/>.</summary>
    public static bool ExcludesProject(string? requirement, string projectPath)
    {
        if (string.IsNullOrWhiteSpace(requirement))
        {
            return false;
        }
        var conjuncts = SplitTopLevelAnd(requirement);
        if (conjuncts is null)
        {
            return false;
        }
        foreach (var conjunct in conjuncts)
        {
            var match = ProjectIsNot().Match(conjunct);
            if (match.Success && WildcardMatches(Unescape(match.Groups["pattern"].Value), projectPath))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>OneDev's path wildcards: <c>**</c> any characters, <c>*</c> any but '/', <c>?</c> one character.</summary>
    public static bool WildcardMatches(string pattern, string path)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        regex.Append('$');
        return Regex.IsMatch(path, regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The conjuncts of a requirement joined by <c>and</c> outside quotes; null when it has <c>or</c>, parentheses or
    /// an unclosed quote (anything this reading does not follow).
    /// </summary>
    private static List<string>? SplitTopLevelAnd(string requirement)
    {
        var parts = new List<string>();
        var words = new List<string>();
        foreach (Match token in Token().Matches(requirement))
        {
            var text = token.Value;
            var quoted = text.Length > 1 && text[0] == '"';
            if (!quoted && (text == "\"" || text.Contains('(', StringComparison.Ordinal) || text.Contains(')', StringComparison.Ordinal)
                            || text.Equals("or", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }
            if (!quoted && text.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add(string.Join(' ', words));
                words.Clear();
                continue;
            }
            words.Add(text);
        }
        parts.Add(string.Join(' ', words));
        return parts;
    }

    private static string Unescape(string quoted) => quoted.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s\"]+|\"")]
    private static partial Regex Token();

    [GeneratedRegex("^\"Project\" is not \"(?<pattern>(?:[^\"\\\\]|\\\\.)*)\"$", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectIsNot();
}

/// <summary>
/// <paramref name="Isolated"/>: no job of the project can run. <paramref name="ExposingExecutors"/>: the enabled
/// executors whose requirement may match it. <paramref name="Reason"/>: the verdict in words.
/// </summary>
public sealed record IsolationVerdict(bool Isolated, IReadOnlyList<string> ExposingExecutors, string Reason);
