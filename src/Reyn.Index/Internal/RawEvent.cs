using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Reyn.Index.Internal;

/// <summary>The fields of one audit line that run chunking needs, parsed with <see cref="Utf8JsonReader"/>.</summary>
internal struct RawEvent
{
    public string? Type;
    public DateTimeOffset? Timestamp;
    public string? RunId;
    public string? Skill;
    public string? VersionHash;
    public string? Status;
    public string? Reason;
    public string? Phase;
    public string? Error;
    public string? Op;
    public double? DurationSeconds;
    public double? CostUsd;
    public long? PromptTokens;
    public long? CompletionTokens;
    public string? VisitCount;
    public string? Max;
    public string? Elapsed;
    public string? Budget;

    /// <summary>Parses one line; false for blank, torn or non-object lines.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out RawEvent evt)
    {
        evt = default;
        if (line.IsEmpty || line.Trim((byte)' ').IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    evt.Type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (evt.Type is not null && !RunAccumulator.IsRelevant(evt.Type))
                    {
                        return true; // not part of run chunking: skip the rest of the line
                    }
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        evt.Timestamp = reader.TryGetDateTimeOffset(out var ts) ? ts : ParseTime(reader.GetString());
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadData(ref reader, ref evt);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return evt.Type is not null && evt.Timestamp is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadData(ref Utf8JsonReader reader, ref RawEvent evt)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("run_id"u8)) { evt.RunId = NextString(ref reader); }
            else if (reader.ValueTextEquals("skill"u8)) { evt.Skill = NextString(ref reader); }
            else if (reader.ValueTextEquals("skill_version_hash"u8)) { evt.VersionHash = NextString(ref reader); }
            else if (reader.ValueTextEquals("status"u8)) { evt.Status = NextString(ref reader); }
            else if (reader.ValueTextEquals("reason"u8)) { evt.Reason = NextString(ref reader); }
            else if (reader.ValueTextEquals("phase"u8)) { evt.Phase = NextString(ref reader); }
            else if (reader.ValueTextEquals("error"u8)) { evt.Error = NextString(ref reader); }
            else if (reader.ValueTextEquals("op"u8)) { evt.Op = NextString(ref reader); }
            else if (reader.ValueTextEquals("duration_seconds"u8)) { evt.DurationSeconds = NextNumber(ref reader); }
            else if (reader.ValueTextEquals("cost_usd"u8)) { evt.CostUsd = NextNumber(ref reader); }
            else if (reader.ValueTextEquals("prompt_tokens"u8)) { evt.PromptTokens = (long?)NextNumber(ref reader); }
            else if (reader.ValueTextEquals("completion_tokens"u8)) { evt.CompletionTokens = (long?)NextNumber(ref reader); }
            else if (reader.ValueTextEquals("visit_count"u8)) { evt.VisitCount = NextString(ref reader); }
            else if (reader.ValueTextEquals("max"u8)) { evt.Max = NextString(ref reader); }
            else if (reader.ValueTextEquals("elapsed"u8)) { evt.Elapsed = NextString(ref reader); }
            else if (reader.ValueTextEquals("budget"u8)) { evt.Budget = NextString(ref reader); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string? NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    private static double? NextNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var span = reader.ValueSpan;
            return Utf8Parser.TryParse(span, out double value, out var consumed) && consumed == span.Length ? value : null;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return null;
    }

    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
