using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reyn.Events;
using Reyn.Events.Serialization;

namespace Reyn.State.Internal;

/// <summary>
/// Serializes one WAL record straight into the pending buffer: <c>{"seq":N,"ts":"…","kind":"…",…fields</c>, then
/// <see cref="WalLine.Seal"/> adds the CRC in place. Fields go through <see cref="JsonBufferWriter"/>, so the bytes are
/// identical to writing the whole record with <see cref="Utf8JsonWriter"/> and
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>.
/// </summary>
internal sealed class WalRecordWriter
{
    /// <summary>The encoder options every WAL line is written with.</summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly JsonBufferWriter _json = new(JsonOptions);

    /// <summary>Appends one sealed record (with its trailing newline) to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">A field name is reserved (seq, ts, kind, crc).</exception>
    public void Write(WalBuffer buffer, long seq, DateTime utc, string kind, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var start = buffer.Length;
        JsonBufferWriter.Raw(buffer, "{\"seq\":"u8);
        JsonBufferWriter.Int64(buffer, seq);
        JsonBufferWriter.Raw(buffer, ",\"ts\":\""u8);
        WriteTimestamp(buffer, utc);
        JsonBufferWriter.Raw(buffer, "\",\"kind\":"u8);
        _json.String(buffer, kind);
        if (fields is EventData data)
        {
            for (var i = 0; i < data.Count; i++)
            {
                WriteField(buffer, data.KeyAt(i), data.ValueAt(i));
            }
        }
        else
        {
            foreach (var (key, value) in fields)
            {
                WriteField(buffer, key, value);
            }
        }

        WalLine.Seal(buffer, start);
    }

    /// <summary>
    /// Writes a UTC time as <see cref="Utf8JsonWriter"/> does: round-trip ("O") format with trailing fractional
    /// zeros trimmed (and the fraction dropped when it is zero).
    /// </summary>
    internal static void WriteTimestamp(WalBuffer buffer, DateTime utc)
    {
        var span = buffer.GetSpan(40);
        if (!utc.TryFormat(span, out var written, "O", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Could not format the WAL timestamp.");
        }

        // "yyyy-MM-ddTHH:mm:ss.fffffff" then "Z" (Utc) or nothing (Unspecified) or an offset (Local).
        const int fractionStart = 20; // index of the first fractional digit
        var end = fractionStart + 7;
        var digits = 7;
        while (digits > 0 && span[fractionStart + digits - 1] == (byte)'0')
        {
            digits--;
        }

        if (digits < 7)
        {
            var keep = digits == 0 ? fractionStart - 1 : fractionStart + digits; // drop the '.' too when no digits remain
            var tail = written - end;
            span.Slice(end, tail).CopyTo(span[keep..]);
            written = keep + tail;
        }

        buffer.Advance(written);
    }

    private void WriteField(WalBuffer buffer, string key, object? value)
    {
        if (key is "seq" or "ts" or "kind" or "crc")
        {
            throw new ArgumentException($"The field name '{key}' is reserved by the WAL record (seq, ts, kind, crc); rename the field.", "fields");
        }

        JsonBufferWriter.Raw(buffer, ","u8);
        _json.Property(buffer, key, value, depth: 1);
    }
}
