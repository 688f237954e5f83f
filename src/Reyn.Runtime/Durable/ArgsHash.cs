using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// <c>args_hash</c>: the first 16 hex characters of the SHA-256 of the arguments serialized as compact JSON with
/// object keys sorted (ordinal) at every depth, so that key order never changes the hash.
/// </summary>
public static class ArgsHash
{
    /// <summary>Names of volatile fields left out of the hash of model calls (for example the current time).</summary>
    public static IReadOnlyCollection<string> VolatileLlmFields { get; } = ["current_datetime", "current_time", "now"];

    /// <summary>Hashes a JSON node.</summary>
    public static string Compute(JsonNode? arguments) => Compute(arguments, excluded: null);

    /// <summary>Hashes a JSON element.</summary>
    public static string Compute(JsonElement arguments)
    {
        using var buffer = new PooledJsonBuffer();
        WriteCanonical(buffer.Writer, arguments, null);
        return Hash(buffer.WrittenSpan);
    }

    internal static string Compute(JsonNode? arguments, IReadOnlyCollection<string>? excluded)
    {
        using var buffer = new PooledJsonBuffer();
        WriteCanonical(buffer.Writer, arguments, excluded);
        return Hash(buffer.WrittenSpan);
    }

    /// <summary>The canonical JSON the hash is computed over.</summary>
    public static string CanonicalJson(JsonNode? arguments)
    {
        using var buffer = new PooledJsonBuffer();
        WriteCanonical(buffer.Writer, arguments, null);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Hash(ReadOnlySpan<byte> json)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(json, digest);
        return Convert.ToHexStringLower(digest[..8]);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node, IReadOnlyCollection<string>? excluded)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                var keys = new List<string>(obj.Count);
                foreach (var (key, _) in obj)
                {
                    if (excluded is null || !excluded.Contains(key))
                    {
                        keys.Add(key);
                    }
                }

                keys.Sort(StringComparer.Ordinal);
                writer.WriteStartObject();
                foreach (var key in keys)
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, obj[key], excluded);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item, excluded);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, IReadOnlyCollection<string>? excluded)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if (excluded is null || !excluded.Contains(property.Name))
                    {
                        properties.Add(property);
                    }
                }

                properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, excluded);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, excluded);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
