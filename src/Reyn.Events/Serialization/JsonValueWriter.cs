using System.Collections;
using System.Globalization;
using System.Text.Json;
using Reyn.Events.Internal;

namespace Reyn.Events.Serialization;

/// <summary>
/// Writes the loosely typed values of event payloads and WAL fields with <see cref="Utf8JsonWriter"/>, without
/// reflection: strings, booleans, numbers, dates, GUIDs, <see cref="JsonElement"/>, string-keyed dictionaries,
/// <see cref="EventData"/> and sequences. Anything else is written as its invariant string form. Lone UTF-16
/// surrogates in strings and property names are written as U+FFFD instead of throwing.
/// </summary>
public static class JsonValueWriter
{
    /// <summary>Nesting deeper than this is written as the string <c>"[depth limit]"</c> (it also stops cycles).</summary>
    public const int MaxDepth = 32;

    /// <summary>Writes <paramref name="value"/> as one JSON value.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value) => WriteValue(writer, value, 0);

    /// <summary>Writes the fields as the properties of the object currently open in <paramref name="writer"/>.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        if (fields is EventData data)
        {
            for (var i = 0; i < data.Count; i++)
            {
                writer.WritePropertyName(Utf16Text.Scrub(data.KeyAt(i)));
                WriteValue(writer, data.ValueAt(i), 1);
            }

            return;
        }

        foreach (var (key, value) in fields)
        {
            writer.WritePropertyName(Utf16Text.Scrub(key));
            WriteValue(writer, value, 1);
        }
    }

    /// <summary>Writes <paramref name="value"/> as one JSON value nested <paramref name="depth"/> levels deep.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(Utf16Text.Scrub(s));
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                return;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                return;
            case DateTime dt:
                writer.WriteStringValue(dt);
                return;
            case Guid g:
                writer.WriteStringValue(g);
                return;
            case TimeSpan ts:
                writer.WriteNumberValue(ts.TotalSeconds);
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
            case System.Text.Json.Nodes.JsonNode node:
                node.WriteTo(writer);
                return;
        }

        if (depth >= MaxDepth)
        {
            writer.WriteStringValue("[depth limit]");
            return;
        }

        switch (value)
        {
            case EventData data:
                writer.WriteStartObject();
                for (var i = 0; i < data.Count; i++)
                {
                    writer.WritePropertyName(Utf16Text.Scrub(data.KeyAt(i)));
                    WriteValue(writer, data.ValueAt(i), depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach (var (key, item) in pairs)
                {
                    writer.WritePropertyName(Utf16Text.Scrub(key));
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Utf16Text.Scrub(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty));
                    WriteValue(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
            case IFormattable formattable:
                writer.WriteStringValue(Utf16Text.Scrub(formattable.ToString(null, CultureInfo.InvariantCulture)));
                return;
            default:
                writer.WriteStringValue(Utf16Text.Scrub(value.ToString() ?? string.Empty));
                return;
        }
    }
}
