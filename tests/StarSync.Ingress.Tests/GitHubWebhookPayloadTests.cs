using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StarSync.Ingress.Tests;

public sealed class GitHubWebhookPayloadTests
{
    [Fact]
    public void StarCreated_ReadsEveryRepositoryField()
    {
        using var document = Parse(WebhookPayloads.Star("created", "2019-05-15T15:20:40Z"));
        var root = document.RootElement;

        Assert.Equal("created", GitHubWebhookPayload.ReadAction(root));
        Assert.Equal(new DateTimeOffset(2019, 5, 15, 15, 20, 40, TimeSpan.Zero), GitHubWebhookPayload.ReadStarredAt(root));
        var repository = GitHubWebhookPayload.ReadRepository(root);
        Assert.Equal(new Contracts.GitHubRepository(186853002, "Codertocat", "Hello-World", "Codertocat/Hello-World",
            "https://github.com/Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World", "master",
            Private: false, SizeKb: 1234, "My first repository"), repository);
    }

    [Fact]
    public void OptionalFieldsAbsent_UseDocumentedDefaults()
    {
        var payload = WebhookPayloads.Watch();
        var repository = payload["repository"]!.AsObject();
        foreach (var field in new[] { "html_url", "default_branch", "private", "size", "description" })
        {
            repository.Remove(field);
        }
        using var document = Parse(payload);

        var read = GitHubWebhookPayload.ReadRepository(document.RootElement);

        Assert.Equal("https://github.com/Codertocat/Hello-World", read.HtmlUrl);
        Assert.Equal("main", read.DefaultBranch);
        Assert.True(read.Private); // unknown visibility is treated as private
        Assert.Equal(0, read.SizeKb);
        Assert.Null(read.Description);
        Assert.Null(GitHubWebhookPayload.ReadStarredAt(document.RootElement));
    }

    [Fact]
    public void OptionalFieldsNull_UseDocumentedDefaults()
    {
        var payload = WebhookPayloads.Watch();
        var repository = payload["repository"]!.AsObject();
        repository["default_branch"] = null;
        repository["private"] = null;
        repository["description"] = null;
        using var document = Parse(payload);

        var read = GitHubWebhookPayload.ReadRepository(document.RootElement);

        Assert.Equal("main", read.DefaultBranch);
        Assert.True(read.Private);
        Assert.Null(read.Description);
    }

    [Fact]
    public void StarDeleted_NeedsOnlyIdAndFullName()
    {
        var payload = new JsonObject
        {
            ["action"] = "deleted",
            ["starred_at"] = null,
            ["repository"] = new JsonObject { ["id"] = 7, ["full_name"] = "octo/cat" },
        };
        using var document = Parse(payload);

        Assert.Equal((7L, "octo/cat"), GitHubWebhookPayload.ReadRepositoryIdentity(document.RootElement));
        Assert.Null(GitHubWebhookPayload.ReadStarredAt(document.RootElement));
    }

    [Theory]
    [InlineData("action", null, "action is missing")]
    [InlineData("action", "true", "action must be a string")]
    [InlineData("repository", null, "repository is missing")]
    [InlineData("repository", "[]", "repository must be an object")]
    [InlineData("repository.id", null, "repository.id is missing")]
    [InlineData("repository.id", "null", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "\"186853002\"", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "1.5", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "-1", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "0", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "1e400", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.id", "99999999999999999999999999999999", "repository.id must be a positive 64-bit integer")]
    [InlineData("repository.name", null, "repository.name is missing")]
    [InlineData("repository.name", "\"\"", "repository.name must not be empty")]
    [InlineData("repository.full_name", null, "repository.full_name is missing")]
    [InlineData("repository.full_name", "[\"a\"]", "repository.full_name must be a string")]
    [InlineData("repository.owner", null, "repository.owner is missing")]
    [InlineData("repository.owner", "\"Codertocat\"", "repository.owner must be an object")]
    [InlineData("repository.owner.login", null, "repository.owner.login is missing")]
    [InlineData("repository.owner.login", "5", "repository.owner.login must be a string")]
    [InlineData("repository.owner.login", "null", "repository.owner.login must be a string")]
    [InlineData("repository.clone_url", null, "repository.clone_url is missing")]
    [InlineData("repository.clone_url", "\"Hello-World.git\"", "repository.clone_url must be an absolute http(s) URL")]
    [InlineData("repository.clone_url", "\"file:///etc/passwd\"", "repository.clone_url must be an absolute http(s) URL")]
    [InlineData("repository.html_url", "42", "repository.html_url must be a string")]
    [InlineData("repository.default_branch", "7", "repository.default_branch must be a string")]
    [InlineData("repository.private", "\"yes\"", "repository.private must be true or false")]
    [InlineData("repository.size", "\"big\"", "repository.size must be a 64-bit integer")]
    [InlineData("repository.size", "-3", "repository.size must not be negative")]
    [InlineData("repository.description", "{}", "repository.description must be a string")]
    [InlineData("starred_at", "5", "starred_at must be a string")]
    [InlineData("starred_at", "\"yesterday\"", "starred_at must be an ISO 8601 timestamp")]
    public void BrokenField_DetailNamesTheField(string path, string? json, string expected)
    {
        var payload = WebhookPayloads.Star("created", "2019-05-15T15:20:40Z");
        Set(payload, path, json);
        using var document = Parse(payload);

        var ex = Assert.Throws<InvalidPayloadException>(() =>
        {
            // The order the endpoint reads a star/created delivery in.
            GitHubWebhookPayload.ReadAction(document.RootElement);
            GitHubWebhookPayload.ReadRepository(document.RootElement);
            GitHubWebhookPayload.ReadStarredAt(document.RootElement);
        });
        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("", "the body is not valid JSON")]
    [InlineData("{\"action\": \"created\",", "the body is not valid JSON")]
    [InlineData("{\"a\": 1} trailing", "the body is not valid JSON")]
    [InlineData("{\"a\": 1,}", "the body is not valid JSON")]
    [InlineData("{\"a\": 1, \"a\": 2}", "the body is not valid JSON")]
    [InlineData("{/* comment */}", "the body is not valid JSON")]
    [InlineData("[]", "the body must be a JSON object")]
    [InlineData("\"star\"", "the body must be a JSON object")]
    [InlineData("null", "the body must be a JSON object")]
    public void MalformedJson_IsRejectedWithReason(string body, string expectedStart)
    {
        var ex = Assert.Throws<InvalidPayloadException>(() => GitHubWebhookPayload.Parse(Encoding.UTF8.GetBytes(body), formEncoded: false));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    [Fact]
    public void MalformedJson_DetailGivesPositionButNotContent()
    {
        var ex = Assert.Throws<InvalidPayloadException>(() =>
            GitHubWebhookPayload.Parse("{\n  \"zen\": secretword\n}"u8.ToArray(), formEncoded: false));
        Assert.Contains("line 2", ex.Message);
        Assert.DoesNotContain("secretword", ex.Message);
        Assert.DoesNotContain("'s'", ex.Message);
    }

    [Fact]
    public void DeepNesting_IsRejected()
    {
        var body = new string('[', 1000) + new string(']', 1000);
        var ex = Assert.Throws<InvalidPayloadException>(() => GitHubWebhookPayload.Parse(Encoding.UTF8.GetBytes("{\"a\":" + body + "}"), formEncoded: false));
        Assert.StartsWith("the body is not valid JSON", ex.Message);
    }

    [Fact]
    public void InvalidUtf8_IsRejected()
    {
        byte[] body = [.. "{\"zen\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        var ex = Assert.Throws<InvalidPayloadException>(() => GitHubWebhookPayload.Parse(body, formEncoded: false));
        Assert.Equal("the body is not valid UTF-8", ex.Message);
    }

    [Fact]
    public void ByteOrderMark_IsSkipped()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "{\"zen\": \"hi\"}"u8];
        using var document = GitHubWebhookPayload.Parse(body, formEncoded: false);
        Assert.Equal("hi", GitHubWebhookPayload.ReadZen(document.RootElement));
    }

    [Theory]
    [InlineData("payload=%7B%22zen%22%3A%22a+b%22%7D", "a b")]
    [InlineData("hook_id=1&payload=%7B%22zen%22%3A%22a%2Bb%22%7D&x", "a+b")]
    [InlineData("payload=%7B%7D", null)]
    public void FormEncoded_ReadsPayloadField(string form, string? zen)
    {
        using var document = GitHubWebhookPayload.Parse(Encoding.ASCII.GetBytes(form), formEncoded: true);
        Assert.Equal(zen, GitHubWebhookPayload.ReadZen(document.RootElement));
    }

    [Theory]
    [InlineData("", "form field 'payload' is missing")]
    [InlineData("zen=hi&payloads=%7B%7D", "form field 'payload' is missing")]
    [InlineData("payload=%7B%7D&payload=%7B%7D", "form field 'payload' occurs more than once")]
    [InlineData("payload=%FF", "form field 'payload' is not valid UTF-8")]
    [InlineData("payload=", "form field 'payload' is not valid JSON")]
    [InlineData("payload=%5B%5D", "form field 'payload' must be a JSON object")]
    public void FormEncoded_BadPayloadField_IsRejected(string form, string expectedStart)
    {
        var ex = Assert.Throws<InvalidPayloadException>(() => GitHubWebhookPayload.Parse(Encoding.ASCII.GetBytes(form), formEncoded: true));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    private static JsonDocument Parse(JsonNode payload) =>
        GitHubWebhookPayload.Parse(Encoding.UTF8.GetBytes(payload.ToJsonString()), formEncoded: false);

    /// <summary>Sets (or with a null <paramref name="json"/>, removes) the field at a dotted path.</summary>
    internal static void Set(JsonObject root, string path, string? json)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }
        if (json is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(json);
        }
    }
}
