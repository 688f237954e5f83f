using System.Text.Json;

namespace Reyn.State;

/// <summary>One verified record of the WAL.</summary>
/// <param name="Seq">Gap-free, strictly increasing sequence number.</param>
/// <param name="Timestamp">When the record was appended (UTC).</param>
/// <param name="Kind">The record kind, for example <c>step_completed</c>.</param>
/// <param name="Fields">The record's own fields (everything except <c>seq</c>, <c>ts</c>, <c>kind</c>, <c>crc</c>), as a JSON object.</param>
public sealed record WalRecord(long Seq, DateTimeOffset Timestamp, string Kind, JsonElement Fields)
{
    /// <summary>A string field, or <see langword="null"/> when absent or not a string.</summary>
    public string? GetString(string name) =>
        Fields.ValueKind == JsonValueKind.Object && Fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
