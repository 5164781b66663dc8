using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StarSync.Emulators;

namespace StarSync.EndToEnd;

/// <summary>Builds and sends webhook deliveries the way GitHub does: raw JSON body, HMAC-SHA256 signature, delivery id.</summary>
public static class GitHubWebhooks
{
    public static string WatchStarted(EmulatedRepository repository) => new JsonObject
    {
        ["action"] = "started",
        ["repository"] = repository.ToJson(),
        ["sender"] = new JsonObject { ["login"] = GitHubEmulator.UserLogin, ["id"] = 1 },
    }.ToJsonString();

    public static string StarCreated(EmulatedRepository repository) => new JsonObject
    {
        ["action"] = "created",
        ["starred_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["repository"] = repository.ToJson(),
        ["sender"] = new JsonObject { ["login"] = GitHubEmulator.UserLogin, ["id"] = 1 },
    }.ToJsonString();

    public static string StarDeleted(EmulatedRepository repository) => new JsonObject
    {
        ["action"] = "deleted",
        ["starred_at"] = null,
        ["repository"] = repository.ToJson(),
        ["sender"] = new JsonObject { ["login"] = GitHubEmulator.UserLogin, ["id"] = 1 },
    }.ToJsonString();

    public static string Push(EmulatedRepository repository, string branch) => Push(repository, "refs/heads/" + branch, forced: false, deleted: false);

    /// <summary>A push of <paramref name="fullRef"/> (a branch or a tag); <paramref name="forced"/> for a force-push, <paramref name="deleted"/> for a deleted ref.</summary>
    public static string Push(EmulatedRepository repository, string fullRef, bool forced, bool deleted) => new JsonObject
    {
        ["ref"] = fullRef,
        ["before"] = new string('0', 40),
        ["after"] = deleted ? new string('0', 40) : new string('1', 40),
        ["created"] = false,
        ["deleted"] = deleted,
        ["forced"] = forced,
        ["repository"] = repository.ToJson(),
        ["sender"] = new JsonObject { ["login"] = GitHubEmulator.UserLogin, ["id"] = 1 },
    }.ToJsonString();

    public static async Task<HttpResponseMessage> SendAsync(Uri ingress, string @event, string deliveryId, string body,
        CancellationToken ct, string secret = StarSyncStack.WebhookSecret)
    {
        using var http = new HttpClient { BaseAddress = ingress, Timeout = TimeSpan.FromSeconds(30) };
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", @event);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/e2e");
        return await http.SendAsync(request, ct);
    }
}
