using System.Globalization;
using System.Text.Json;

namespace StarSync.Emulators;

/// <summary>
/// The <c>ProjectData</c> request body of OneDev's project create/update endpoints, read as strictly as Jackson does:
/// unknown fields fail (400), blank strings become null, and bean validation runs afterwards (400).
/// </summary>
internal sealed class OneDevProjectInput
{
    private static readonly string[] KnownFields =
    [
        "id", "parentId", "forkedFromId", "name", "key", "path", "description", "createDate", "codeManagement",
        "packManagement", "issueManagement", "timeTracking", "serviceDeskEmailAddress", "gitPackConfig", "codeAnalysisSetting",
    ];

    private static readonly string[] GitPackConfigFields = ["windowMemory", "packSizeLimit", "threads", "window"];

    private const string DataClass = "io.onedev.server.rest.resource.ProjectResource$ProjectData";

    public long? ParentId { get; private set; }

    public long? ForkedFromId { get; private set; }

    public string? Name { get; private set; }

    public string? Key { get; private set; }

    public string? Description { get; private set; }

    public bool CodeManagement { get; private set; } = true;

    public bool PackManagement { get; private set; } = true;

    public bool IssueManagement { get; private set; } = true;

    public bool TimeTracking { get; private set; }

    public string? ServiceDeskEmailAddress { get; private set; }

    public Dictionary<string, string?>? GitPackConfig { get; private set; }

    public string? AnalysisFiles { get; private set; }

    public bool HasCodeAnalysisSetting { get; private set; }

    /// <summary>Parses and validates a body; on failure returns null and a 400 message.</summary>
    public static OneDevProjectInput? Parse(string body, string method, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            error = $"{method}.arg0: must not be null";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = "Unexpected character in JSON input: " + e.Message;
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                error = $"{method}.arg0: must not be null";
                return null;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"Cannot deserialize value of type `{DataClass}` from {root.ValueKind} value";
                return null;
            }

            var input = new OneDevProjectInput();
            try
            {
                input.Read(root);
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }

            var violations = new List<string>();
            if (string.IsNullOrEmpty(input.Name))
            {
                violations.Add($"{method}.arg0.name: must not be empty");
            }

            if (input.GitPackConfig is null)
            {
                violations.Add($"{method}.arg0.gitPackConfig: must not be null");
            }

            if (!input.HasCodeAnalysisSetting)
            {
                violations.Add($"{method}.arg0.codeAnalysisSetting: must not be null");
            }

            if (violations.Count > 0)
            {
                error = string.Join(", ", violations);
                return null;
            }

            return input;
        }
    }

    private void Read(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "parentId": ParentId = ReadLong(property.Name, value); break;
                case "forkedFromId": ForkedFromId = ReadLong(property.Name, value); break;
                case "name": Name = ReadString(property.Name, value); break;
                case "key": Key = ReadString(property.Name, value); break;
                case "description": Description = ReadString(property.Name, value); break;
                case "serviceDeskEmailAddress": ServiceDeskEmailAddress = ReadString(property.Name, value); break;
                case "codeManagement": CodeManagement = ReadBool(property.Name, value); break;
                case "packManagement": PackManagement = ReadBool(property.Name, value); break;
                case "issueManagement": IssueManagement = ReadBool(property.Name, value); break;
                case "timeTracking": TimeTracking = ReadBool(property.Name, value); break;
                case "gitPackConfig": GitPackConfig = ReadGitPackConfig(value); break;
                case "codeAnalysisSetting": ReadCodeAnalysisSetting(value); break;
                case "id" or "path" or "createDate": break; // read-only, ignored
                default:
                    throw new FormatException(
                        $"Unrecognized field \"{property.Name}\" (class {DataClass}), not marked as ignorable ({KnownFields.Length} known properties: {string.Join(", ", KnownFields.Select(f => "\"" + f + "\""))})");
            }
        }
    }

    private static Dictionary<string, string?>? ReadGitPackConfig(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Cannot deserialize value of type `io.onedev.server.git.GitPackConfig` from {value.ValueKind} value");
        }

        var config = GitPackConfigFields.ToDictionary(f => f, _ => (string?)null, StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!config.ContainsKey(property.Name))
            {
                throw new FormatException($"Unrecognized field \"{property.Name}\" (class io.onedev.server.git.GitPackConfig), not marked as ignorable");
            }

            config[property.Name] = ReadString(property.Name, property.Value);
        }

        return config;
    }

    private void ReadCodeAnalysisSetting(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            HasCodeAnalysisSetting = false;
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Cannot deserialize value of type `io.onedev.server.model.support.code.CodeAnalysisSetting` from {value.ValueKind} value");
        }

        HasCodeAnalysisSetting = true;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name != "analysisFiles")
            {
                throw new FormatException($"Unrecognized field \"{property.Name}\" (class io.onedev.server.model.support.code.CodeAnalysisSetting), not marked as ignorable");
            }

            AnalysisFiles = ReadString(property.Name, property.Value);
        }
    }

    private static string? ReadString(string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString(), // 12.0.9+: blank -> null
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new FormatException($"Cannot deserialize value of type `java.lang.String` from {value.ValueKind} value (field \"{field}\")"),
    };

    private static long? ReadLong(string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new FormatException($"Cannot deserialize value of type `java.lang.Long` from {value.ValueKind} value (field \"{field}\")");
    }

    private static bool ReadBool(string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false, // null into a primitive boolean becomes false
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => throw new FormatException($"Cannot deserialize value of type `boolean` from {value.ValueKind} value (field \"{field}\")"),
    };
}
