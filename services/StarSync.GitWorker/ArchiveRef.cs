using System.Globalization;

using StarSync.GitWorker.Git;

namespace StarSync.GitWorker;

/// <summary>
/// Where a mirror keeps a tip that upstream rewrote or deleted:
/// <c>refs/starsync/archive/heads/&lt;branch&gt;/&lt;UTC yyyyMMddTHHmmssZ&gt;-&lt;12-char sha&gt;</c> (tags under
/// <c>refs/starsync/archive/tags/</c>). Outside heads and tags, so the mirror's prune never deletes it and fetches of
/// heads and tags never bring it back.
/// </summary>
internal static class ArchiveRef
{
    public const string Prefix = "refs/starsync/archive/";

    public static string For(string refName, string objectId, DateTimeOffset at)
    {
        var (kind, name) = refName.StartsWith(RefSnapshot.HeadsPrefix, StringComparison.Ordinal)
            ? ("heads", refName[RefSnapshot.HeadsPrefix.Length..])
            : refName.StartsWith(RefSnapshot.TagsPrefix, StringComparison.Ordinal)
                ? ("tags", refName[RefSnapshot.TagsPrefix.Length..])
                : throw new ArgumentException("Only branches and tags are archived.", nameof(refName));
        var stamp = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return $"{Prefix}{kind}/{name}/{stamp}-{objectId[..Math.Min(12, objectId.Length)]}";
    }
}
