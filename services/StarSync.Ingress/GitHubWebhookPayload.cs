using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Unicode;

using StarSync.Contracts;
using StarSync.GitHub;

namespace StarSync.Ingress;

/// <summary>
/// Reads the parts of GitHub's <c>ping</c>, <c>watch</c>, <c>star</c> and <c>push</c> payloads that StarSync uses. Every method
/// throws <see cref="InvalidPayloadException"/> whose message names the offending field; no input makes it throw
/// anything else.
/// </summary>
internal static class GitHubWebhookPayload
{
    public const string JsonMediaType = "application/json";
    public const string FormMediaType = "application/x-www-form-urlencoded";
    public const string FormField = "payload";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        // Two values for one key would let a checker and a consumer read different repositories.
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The JSON document of a delivery: the raw body for <c>application/json</c>, the <c>payload</c> field for
    /// <c>application/x-www-form-urlencoded</c>. The root must be an object.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, bool formEncoded)
    {
        var json = formEncoded ? ExtractFormPayload(body.Span) : body;
        var what = formEncoded ? $"form field '{FormField}'" : "the body";
        if (!Utf8.IsValid(json.Span))
        {
            throw new InvalidPayloadException($"{what} is not valid UTF-8");
        }
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (json.Span.StartsWith(bom))
        {
            json = json[bom.Length..];
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            // The reader's own message quotes payload bytes; the position is enough to find the fault.
            throw new InvalidPayloadException(string.Create(CultureInfo.InvariantCulture,
                $"{what} is not valid JSON (or repeats a property, or nests deeper than {DocumentOptions.MaxDepth} levels) " +
                $"at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}"));
        }
        catch (InvalidOperationException)
        {
            // Duplicate detection unescapes every property name and throws this on one that escapes a lone
            // surrogate ("a\uD800"); the reader itself accepts such escapes.
            throw new InvalidPayloadException($"{what} has a property name that is not valid Unicode text (a lone surrogate)");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new InvalidPayloadException($"{what} must be a JSON object");
        }
        return document;
    }

    /// <summary><c>action</c>: required for <c>watch</c> and <c>star</c>.</summary>
    public static string ReadAction(JsonElement root) => RequiredString(root, "action", "action");

    /// <summary><c>zen</c> of a <c>ping</c>; optional.</summary>
    public static string? ReadZen(JsonElement root) => OptionalString(root, "zen", "zen");

    /// <summary><c>starred_at</c> of a <c>star</c> event: an ISO 8601 timestamp, or null (always null for <c>deleted</c>).</summary>
    public static DateTimeOffset? ReadStarredAt(JsonElement root)
    {
        var text = OptionalString(root, "starred_at", "starred_at");
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw new InvalidPayloadException("starred_at must be an ISO 8601 timestamp");
    }

    /// <summary>
    /// The <c>repository</c> object, through the same mapping as GitHub's API answers
    /// (<see cref="GitHubRepositoryFields"/>), so that a star reads alike from a webhook and from the starred list.
    /// Required: <c>id</c>, <c>name</c>, <c>full_name</c>, <c>owner.login</c>, <c>clone_url</c> (an http(s) URL).
    /// Optional, with the default used when absent or null: <c>html_url</c> (clone_url without <c>.git</c>),
    /// <c>default_branch</c> (<c>main</c>), <c>private</c> (true: unknown visibility is treated as private), <c>size</c>
    /// (0, never negative), <c>description</c> (null). A present optional field of the wrong type is still an error.
    /// </summary>
    public static GitHubRepository ReadRepository(JsonElement root)
    {
        var repository = RequiredObject(root, "repository", "repository");
        var id = ReadRepositoryId(repository);
        var name = RequiredString(repository, "name", "repository.name");
        var fullName = RequiredString(repository, "full_name", "repository.full_name");
        var owner = RequiredObject(repository, "owner", "repository.owner");
        var login = RequiredString(owner, "login", "repository.owner.login");
        var cloneUrl = RequiredString(repository, "clone_url", "repository.clone_url");
        var htmlUrl = OptionalString(repository, "html_url", "repository.html_url");
        var defaultBranch = OptionalString(repository, "default_branch", "repository.default_branch");
        var isPrivate = OptionalBoolean(repository, "private", "repository.private");
        var size = OptionalInt64(repository, "size", "repository.size");
        var description = OptionalString(repository, "description", "repository.description");
        return GitHubRepositoryFields.TryCreate(id, login, name, fullName, cloneUrl, htmlUrl, defaultBranch, isPrivate, size, description, out var read, out var problem)
            ? read
            : throw new InvalidPayloadException("repository." + problem);
    }

    /// <summary>What an unstar needs: <c>repository.id</c> and <c>repository.full_name</c>.</summary>
    public static (long Id, string FullName) ReadRepositoryIdentity(JsonElement root)
    {
        var repository = RequiredObject(root, "repository", "repository");
        return (ReadRepositoryId(repository), RequiredString(repository, "full_name", "repository.full_name"));
    }

    /// <summary>
    /// What a <c>push</c> needs: <c>repository.id</c> (required), <c>repository.full_name</c> (optional, for the log)
    /// and whether the push deleted its ref (<c>deleted</c>, optional, false when absent or null).
    /// </summary>
    public static (long Id, string? FullName, bool Deleted) ReadPush(JsonElement root)
    {
        var repository = RequiredObject(root, "repository", "repository");
        return (ReadRepositoryId(repository), OptionalString(repository, "full_name", "repository.full_name"),
            OptionalBoolean(root, "deleted", "deleted") ?? false);
    }

    /// <summary>
    /// The repository of a <c>push</c>, read as strictly as a star's (<see cref="ReadRepository"/>) when the payload
    /// describes it (GitHub's always do: it carries <c>clone_url</c>), so names follow renames and transfers; null for
    /// a payload that names only the id.
    /// </summary>
    public static GitHubRepository? ReadPushRepository(JsonElement root) =>
        RequiredObject(root, "repository", "repository").TryGetProperty("clone_url", out _) ? ReadRepository(root) : null;

    private static long ReadRepositoryId(JsonElement repository)
    {
        var element = Required(repository, "id", "repository.id");
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var id) && id > 0
            ? id
            : throw new InvalidPayloadException("repository.id must be a positive 64-bit integer");
    }

    private static ReadOnlyMemory<byte> ExtractFormPayload(ReadOnlySpan<byte> form)
    {
        byte[]? payload = null;
        foreach (var range in form.Split((byte)'&'))
        {
            var pair = form[range];
            var equals = pair.IndexOf((byte)'=');
            var key = equals < 0 ? pair : pair[..equals];
            if (!UrlDecode(key).AsSpan().SequenceEqual(FormFieldBytes))
            {
                continue;
            }
            if (payload is not null)
            {
                throw new InvalidPayloadException($"form field '{FormField}' occurs more than once");
            }
            payload = equals < 0 ? [] : UrlDecode(pair[(equals + 1)..]);
        }
        return payload ?? throw new InvalidPayloadException($"form field '{FormField}' is missing");
    }

    private static ReadOnlySpan<byte> FormFieldBytes => "payload"u8;

    private static byte[] UrlDecode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return [];
        }
        var copy = encoded.ToArray();
        return WebUtility.UrlDecodeToBytes(copy, 0, copy.Length);
    }

    private static JsonElement Required(JsonElement parent, string property, string path) =>
        parent.TryGetProperty(property, out var element)
            ? element
            : throw new InvalidPayloadException($"{path} is missing");

    private static JsonElement RequiredObject(JsonElement parent, string property, string path)
    {
        var element = Required(parent, property, path);
        return element.ValueKind == JsonValueKind.Object
            ? element
            : throw new InvalidPayloadException($"{path} must be an object");
    }

    private static string RequiredString(JsonElement parent, string property, string path)
    {
        var element = Required(parent, property, path);
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new InvalidPayloadException($"{path} must be a string");
        }
        var value = TextOf(element, path);
        return value.Length > 0 ? value : throw new InvalidPayloadException($"{path} must not be empty");
    }

    private static string? OptionalString(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return element.ValueKind == JsonValueKind.String
            ? TextOf(element, path)
            : throw new InvalidPayloadException($"{path} must be a string");
    }

    /// <summary>
    /// The text of a JSON string. The parser accepts escapes that are not valid UTF-16 (a lone surrogate such as
    /// <c>\uD800</c>); <see cref="JsonElement.GetString"/> then throws <see cref="InvalidOperationException"/>, which
    /// would otherwise end as a 500.
    /// </summary>
    private static string TextOf(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidPayloadException($"{path} is not valid Unicode text (it escapes a lone surrogate)");
        }
    }

    private static bool? OptionalBoolean(JsonElement parent, string property, string path) =>
        !parent.TryGetProperty(property, out var element) ? null : element.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidPayloadException($"{path} must be true or false"),
        };

    private static long? OptionalInt64(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
            ? value
            : throw new InvalidPayloadException($"{path} must be a 64-bit integer");
    }
}
