using System.Text.Json.Nodes;

namespace StarSync.Ingress.Tests;

/// <summary>
/// Payloads shaped like GitHub's <c>ping</c>, <c>watch</c> and <c>star</c> deliveries (fields as documented for
/// webhook events), as mutable JSON so that a test can remove or retype one field.
/// </summary>
internal static class WebhookPayloads
{
    public const long RepositoryId = 186853002;
    public const string FullName = "Codertocat/Hello-World";

    public static JsonObject Repository() => new()
    {
        ["id"] = RepositoryId,
        ["node_id"] = "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
        ["name"] = "Hello-World",
        ["full_name"] = FullName,
        ["private"] = false,
        ["owner"] = new JsonObject { ["login"] = "Codertocat", ["id"] = 21031067, ["type"] = "User" },
        ["html_url"] = "https://github.com/Codertocat/Hello-World",
        ["description"] = "My first repository",
        ["fork"] = false,
        ["clone_url"] = "https://github.com/Codertocat/Hello-World.git",
        ["size"] = 1234,
        ["stargazers_count"] = 1,
        ["default_branch"] = "master",
    };

    public static JsonObject Sender() => new() { ["login"] = "Codertocat", ["id"] = 21031067, ["type"] = "User" };

    public static JsonObject Star(string action, string? starredAt) => new()
    {
        ["action"] = action,
        ["starred_at"] = starredAt,
        ["repository"] = Repository(),
        ["sender"] = Sender(),
    };

    public static JsonObject Watch() => new()
    {
        ["action"] = "started",
        ["repository"] = Repository(),
        ["sender"] = Sender(),
    };

    public static JsonObject Ping() => new()
    {
        ["zen"] = "Keep it logically awesome.",
        ["hook_id"] = 30,
        ["hook"] = new JsonObject { ["type"] = "Repository", ["id"] = 30, ["active"] = true, ["events"] = new JsonArray("star", "watch") },
        ["repository"] = Repository(),
        ["sender"] = Sender(),
    };

    public static JsonObject Issues() => new()
    {
        ["action"] = "opened",
        ["issue"] = new JsonObject { ["number"] = 1, ["title"] = "Spelling error in the README file" },
        ["repository"] = Repository(),
        ["sender"] = Sender(),
    };
}
