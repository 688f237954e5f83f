using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Reyn.State.Internal;

/// <summary>Atomic snapshot writes and version-checked reads.</summary>
internal static class SnapshotFiles
{
    public static void Write<T>(string path, T snapshot, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, typeInfo);
        AtomicFile.Replace(path, bytes);
    }

    /// <summary>
    /// Reads a snapshot. Returns <see langword="false"/> with a reason when the file is not valid JSON or not a
    /// snapshot object; throws <see cref="StateSchemaVersionException"/> when it has another (or no) version.
    /// </summary>
    public static bool TryRead<T>(string path, JsonTypeInfo<T> typeInfo, out T? snapshot, out string? problem)
        where T : class
    {
        snapshot = null;
        var bytes = File.ReadAllBytes(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            problem = $"not valid JSON ({ex.Message})";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"not a JSON object (found {document.RootElement.ValueKind})";
                return false;
            }

            int? version = document.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var parsed) ? parsed : null;
            if (version != SnapshotSchema.Version)
            {
                throw new StateSchemaVersionException(path, version, SnapshotSchema.Version);
            }

            try
            {
                snapshot = document.RootElement.Deserialize(typeInfo);
            }
            catch (JsonException ex)
            {
                problem = $"a field has the wrong shape ({ex.Message})";
                return false;
            }

            problem = snapshot is null ? "empty document" : null;
            return snapshot is not null;
        }
    }

    /// <summary>Moves an unreadable file to a dated name beside it and returns that name.</summary>
    public static string MoveAside(string path, DateTimeOffset now)
    {
        var aside = $"{path}.corrupt-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}";
        File.Move(path, aside, overwrite: true);
        return aside;
    }
}
