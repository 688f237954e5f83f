using System.Text;
using System.Text.Json;

namespace Reyn.Events.Serialization;

/// <summary>
/// Parses one audit-log line back into a <see cref="ReynEvent"/>. Strings, booleans, integers (as <see cref="long"/>),
/// other numbers (as <see cref="double"/>) and nulls become plain values; nested objects and arrays stay
/// <see cref="JsonElement"/>s, which write back unchanged.
/// </summary>
public static class EventJsonReader
{
    /// <summary>Parses a line; never throws on bad input.</summary>
    /// <param name="line">One line of UTF-8 JSON (a trailing <c>\r</c> or <c>\n</c> is allowed).</param>
    /// <param name="evt">The event, when parsing succeeded.</param>
    /// <param name="error">Why the line is not an event (blank, not JSON, missing <c>type</c>...), when it failed.</param>
    public static bool TryParse(ReadOnlySpan<byte> line, out ReynEvent? evt, out string? error)
    {
        evt = null;
        line = line.TrimEnd("\r\n"u8);
        if (line.Trim(" \t"u8).IsEmpty)
        {
            error = "blank line";
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != line.Length && !line[(int)reader.BytesConsumed..].Trim(" \t"u8).IsEmpty)
            {
                error = "trailing characters after the JSON object";
                return false;
            }

            return TryConvert(document.RootElement, out evt, out error);
        }
        catch (JsonException ex)
        {
            error = "JSON parse error: " + ex.Message;
            return false;
        }
    }

    /// <summary>Parses a line given as text; never throws on bad input.</summary>
    public static bool TryParse(string line, out ReynEvent? evt, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryParse(Encoding.UTF8.GetBytes(line), out evt, out error);
    }

    /// <summary>Parses a line and throws <see cref="FormatException"/> saying what is wrong when it is not an event.</summary>
    public static ReynEvent Parse(string line)
    {
        if (!TryParse(line, out var evt, out var error))
        {
            throw new FormatException($"Not an audit event line: {error}.");
        }

        return evt!;
    }

    private static bool TryConvert(JsonElement root, out ReynEvent? evt, out string? error)
    {
        evt = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"expected a JSON object, found {root.ValueKind}";
            return false;
        }

        if (!root.TryGetProperty("type"u8, out var typeElement) || typeElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(typeElement.GetString()))
        {
            error = "missing or empty \"type\"";
            return false;
        }

        if (!root.TryGetProperty("timestamp"u8, out var timestampElement) || timestampElement.ValueKind != JsonValueKind.String
            || !timestampElement.TryGetDateTimeOffset(out var timestamp))
        {
            error = "missing or invalid \"timestamp\" (expected ISO-8601)";
            return false;
        }

        EventData data;
        if (root.TryGetProperty("data"u8, out var dataElement))
        {
            if (dataElement.ValueKind == JsonValueKind.Null)
            {
                data = new EventData(0);
            }
            else if (dataElement.ValueKind != JsonValueKind.Object)
            {
                error = $"\"data\" must be an object, found {dataElement.ValueKind}";
                return false;
            }
            else
            {
                data = new EventData();
                foreach (var property in dataElement.EnumerateObject())
                {
                    data.Set(property.Name, ToValue(property.Value));
                }
            }
        }
        else
        {
            data = new EventData(0);
        }

        evt = new ReynEvent(typeElement.GetString()!, timestamp, data);
        error = null;
        return true;
    }

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        _ => element.Clone(),
    };
}
