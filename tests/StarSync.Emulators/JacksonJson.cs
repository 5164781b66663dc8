using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StarSync.Emulators;

/// <summary>
/// Writes JSON the way OneDev's Jackson ObjectMapper does (INDENT_OUTPUT with the default pretty printer):
/// <c>"key" : value</c>, two-space object indentation, inline arrays <c>[ a, b ]</c>, empty <c>{ }</c> and <c>[ ]</c>.
/// </summary>
internal static class JacksonJson
{
    private static readonly JsonSerializerOptions Scalars = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        WriteValue(builder, node, 0);
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder builder, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj when obj.Count == 0:
                builder.Append("{ }");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    builder.Append(first ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                    builder.Append(JsonSerializer.Serialize(key, Scalars)).Append(" : ");
                    WriteValue(builder, value, depth + 1);
                    first = false;
                }

                builder.Append('\n').Append(' ', depth * 2).Append('}');
                break;
            case JsonArray array when array.Count == 0:
                builder.Append("[ ]");
                break;
            case JsonArray array:
                // Jackson's array indenter is inline, so it does not add a nesting level.
                builder.Append("[ ");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    WriteValue(builder, array[i], depth);
                }

                builder.Append(" ]");
                break;
            default:
                builder.Append(node.ToJsonString(Scalars));
                break;
        }
    }
}
