using System.Globalization;
using System.Text.RegularExpressions;

using StarSync.Contracts;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// The description StarSync gives a mirror project. Its marker <c>managed by StarSync (github-id N)</c> is how
/// StarSync recognises its own projects: by GitHub's repository id, which survives renames and transfers.
/// </summary>
internal static partial class MirrorMarker
{
    private const int MaxGitHubDescription = 2000;

    /// <summary>E.g. <c>Mirror of https://github.com/fastapi/fastapi — managed by StarSync (github-id 160919119)</c>.</summary>
    public static string Description(GitHubRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        string line = string.Create(CultureInfo.InvariantCulture, $"Mirror of {repository.HtmlUrl} — managed by StarSync (github-id {repository.Id})");
        string? about = repository.Description?.Trim();
        if (string.IsNullOrEmpty(about))
        {
            return line;
        }

        return line + "\n\n" + (about.Length > MaxGitHubDescription ? about[..MaxGitHubDescription] + "…" : about);
    }

    /// <summary>The GitHub repository id in a project description's marker, or null when it has none.</summary>
    public static long? GitHubIdOf(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return null;
        }

        Match match = MarkerRegex().Match(description);
        return match.Success && long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            ? id
            : null;
    }

    [GeneratedRegex(@"managed by StarSync \(github-id (?<id>[0-9]{1,19})\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkerRegex();
}
