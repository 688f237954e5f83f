using System.Text.Json;

namespace Reyn.State.Internal;

/// <summary>Tolerant readers of WAL record fields.</summary>
internal static class RecordFields
{
    public static JsonElement? GetElement(this WalRecord record, string name) =>
        record.Fields.ValueKind == JsonValueKind.Object && record.Fields.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.Clone()
            : null;

    public static int GetInt(this WalRecord record, string name) =>
        record.Fields.ValueKind == JsonValueKind.Object && record.Fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)
            ? i
            : 0;

    public static List<string> GetStrings(this WalRecord record, string name)
    {
        var list = new List<string>();
        if (record.Fields.ValueKind == JsonValueKind.Object && record.Fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(item.GetString()!);
                }
            }
        }

        return list;
    }

    public static string SessionId(this WalRecord record) => record.GetString("session_id") ?? "main";
}
