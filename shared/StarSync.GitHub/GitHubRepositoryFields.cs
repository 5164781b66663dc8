using StarSync.Contracts;

namespace StarSync.GitHub;

/// <summary>
/// The one mapping from GitHub's repository object to <see cref="GitHubRepository"/>, shared by the API answers
/// (<see cref="GitHubClient"/>) and the Ingress's webhook parser, so that both read every field alike. Callers check
/// the JSON types; this checks the values and fills absent (or null) optional fields: <c>html_url</c> is
/// <c>clone_url</c> without <c>.git</c>, <c>default_branch</c> is <see cref="DefaultBranchWhenAbsent"/>,
/// <c>private</c> is <see cref="PrivateWhenAbsent"/>, <c>size</c> is 0, <c>description</c> stays null.
/// </summary>
public static class GitHubRepositoryFields
{
    public const string DefaultBranchWhenAbsent = "main";

    /// <summary>Unknown visibility is treated as private: a repository is never taken for public by a missing field.</summary>
    public const bool PrivateWhenAbsent = true;

    /// <summary>
    /// The repository, or false with <paramref name="problem"/> naming the field as GitHub spells it (e.g.
    /// <c>clone_url must be an absolute http(s) URL</c>). Required: <paramref name="id"/> (positive),
    /// <paramref name="owner"/> (<c>owner.login</c>), <paramref name="name"/>, <paramref name="fullName"/>,
    /// <paramref name="cloneUrl"/>; <paramref name="sizeKb"/> must not be negative.
    /// </summary>
    public static bool TryCreate(
        long? id,
        string? owner,
        string? name,
        string? fullName,
        string? cloneUrl,
        string? htmlUrl,
        string? defaultBranch,
        bool? isPrivate,
        long? sizeKb,
        string? description,
        out GitHubRepository repository,
        out string problem)
    {
        repository = null!;
        problem = id is null ? "id is missing" : id <= 0 ? "id must be a positive 64-bit integer"
            : Missing(name, "name") ?? Missing(fullName, "full_name") ?? Missing(owner, "owner.login") ?? Missing(cloneUrl, "clone_url")
            ?? NotHttpUrl(cloneUrl!, "clone_url") ?? (htmlUrl is null ? null : NotHttpUrl(htmlUrl, "html_url"))
            ?? (sizeKb < 0 ? "size must not be negative" : null)
            ?? string.Empty;
        if (problem.Length > 0)
        {
            return false;
        }

        repository = new GitHubRepository(
            id!.Value,
            owner!,
            name!,
            fullName!,
            cloneUrl!,
            htmlUrl ?? (cloneUrl!.EndsWith(".git", StringComparison.Ordinal) ? cloneUrl[..^4] : cloneUrl!),
            string.IsNullOrEmpty(defaultBranch) ? DefaultBranchWhenAbsent : defaultBranch,
            isPrivate ?? PrivateWhenAbsent,
            sizeKb ?? 0,
            description);
        return true;
    }

    private static string? Missing(string? value, string field) =>
        value is null ? field + " is missing" : value.Length == 0 ? field + " must not be empty" : null;

    private static string? NotHttpUrl(string value, string field) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? null
            : field + " must be an absolute http(s) URL";
}
