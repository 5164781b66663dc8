using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StarSync.Emulators;

/// <summary>
/// One repository held by <see cref="GitHubEmulator"/>. Identity (id, owner, name, visibility, default branch) changes
/// through the emulator; descriptive fields may be set directly by tests. Git content lives in
/// <see cref="BareDirectory"/>, which tests may push into with git.
/// </summary>
public sealed class EmulatedRepository
{
    private readonly GitHubEmulator _emulator;

    internal EmulatedRepository(GitHubEmulator emulator, long id, string owner, long ownerId, string name, bool isPrivate, string defaultBranch, string bareDirectory, DateTimeOffset createdAt)
    {
        _emulator = emulator;
        Id = id;
        Owner = owner;
        OwnerId = ownerId;
        Name = name;
        IsPrivate = isPrivate;
        DefaultBranch = defaultBranch;
        BareDirectory = bareDirectory;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        PushedAt = createdAt;
    }

    /// <summary>GitHub's numeric repository id: unique and stable across renames and transfers.</summary>
    public long Id { get; }

    public string NodeId => Convert.ToBase64String(Encoding.ASCII.GetBytes("010:Repository" + Id.ToString(CultureInfo.InvariantCulture)));

    public string Owner { get; internal set; }

    public long OwnerId { get; internal set; }

    public string Name { get; internal set; }

    public string FullName => Owner + "/" + Name;

    public bool IsPrivate { get; internal set; }

    public string DefaultBranch { get; internal set; }

    /// <summary><c>{BaseUrl}{owner}/{name}.git</c> under the current name.</summary>
    public Uri CloneUrl => new(_emulator.BaseUrl, FullName + ".git");

    /// <summary>The bare repository on disk that the emulator serves.</summary>
    public string BareDirectory { get; }

    public string? Description { get; set; }

    public bool Archived { get; set; }

    public bool Disabled { get; set; }

    public bool Fork { get; set; }

    /// <summary>Size in KB, as GitHub reports it.</summary>
    public long Size { get; set; }

    public int StargazersCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset PushedAt { get; set; }

    /// <summary>
    /// Fields <see cref="ToJson"/> leaves out, as an older GitHub Enterprise Server or a proxy that trims answers might:
    /// for tests of how readers fill absent fields. Empty by default (GitHub's own answers carry them all).
    /// </summary>
    public ISet<string> OmittedFields { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The repository as <c>GET /repos/{owner}/{repo}</c> shapes it (snake_case, GitHub's field set, less <see cref="OmittedFields"/>).</summary>
    public JsonObject ToJson()
    {
        var json = FullJson();
        foreach (var field in OmittedFields)
        {
            json.Remove(field);
        }

        return json;
    }

    private JsonObject FullJson()
    {
        var api = _emulator.ApiUrl;
        var html = new Uri(_emulator.BaseUrl, FullName).ToString();
        var host = _emulator.BaseUrl.Authority;
        return new JsonObject
        {
            ["id"] = Id,
            ["node_id"] = NodeId,
            ["name"] = Name,
            ["full_name"] = FullName,
            ["private"] = IsPrivate,
            ["owner"] = GitHubEmulator.UserJson(_emulator, Owner, OwnerId),
            ["html_url"] = html,
            ["description"] = Description,
            ["fork"] = Fork,
            ["url"] = api + "repos/" + FullName,
            ["created_at"] = GitHubEmulator.Timestamp(CreatedAt),
            ["updated_at"] = GitHubEmulator.Timestamp(UpdatedAt),
            ["pushed_at"] = GitHubEmulator.Timestamp(PushedAt),
            ["git_url"] = $"git://{host}/{FullName}.git",
            ["ssh_url"] = $"git@{_emulator.BaseUrl.Host}:{FullName}.git",
            ["clone_url"] = CloneUrl.ToString(),
            ["svn_url"] = html,
            ["homepage"] = null,
            ["size"] = Size,
            ["stargazers_count"] = StargazersCount,
            ["watchers_count"] = StargazersCount,
            ["language"] = null,
            ["has_issues"] = true,
            ["has_projects"] = true,
            ["has_downloads"] = true,
            ["has_wiki"] = true,
            ["has_pages"] = false,
            ["has_discussions"] = false,
            ["forks_count"] = 0,
            ["mirror_url"] = null,
            ["archived"] = Archived,
            ["disabled"] = Disabled,
            ["open_issues_count"] = 0,
            ["license"] = null,
            ["allow_forking"] = true,
            ["is_template"] = false,
            ["topics"] = new JsonArray(),
            ["visibility"] = IsPrivate ? "private" : "public",
            ["forks"] = 0,
            ["open_issues"] = 0,
            ["watchers"] = StargazersCount,
            ["default_branch"] = DefaultBranch,
        };
    }
}
