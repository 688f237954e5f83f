using System.Buffers.Text;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reyn.Events;
using Reyn.Events.Internal;
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

    // The record's own top-level names: a field may not use them.
    private static readonly string[] ReservedNames = ["seq", "ts", "kind", "crc"];

    private readonly JsonBufferWriter _json = new(JsonOptions);
    private readonly TimestampUtf8 _timestamps = new();

    /// <summary>Appends one sealed record (with its trailing newline) to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">A field name is reserved (seq, ts, kind, crc).</exception>
    public void Write(WalBuffer buffer, long seq, DateTime utc, string kind, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var start = buffer.Length;
        if (fields is not EventData data || !TryWritePlain(buffer, seq, utc, kind, data))
        {
            JsonBufferWriter.Raw(buffer, "{\"seq\":"u8);
            JsonBufferWriter.Int64(buffer, seq);
            JsonBufferWriter.Raw(buffer, ",\"ts\":\""u8);
            WriteTimestamp(buffer, utc);
            JsonBufferWriter.Raw(buffer, "\",\"kind\":"u8);
            _json.String(buffer, kind);
            WriteFields(buffer, fields);
        }

        WalLine.Seal(buffer, start);
    }

    /// <summary>
    /// The record up to its CRC in one span when the time is UTC and the kind and every field are plain (see
    /// <see cref="JsonBufferWriter.TryPlainProperties"/>): the common record costs a copy per field and no buffer call
    /// per token. False, with nothing written, otherwise (a reserved field name included, which the general path reports).
    /// </summary>
    private bool TryWritePlain(WalBuffer buffer, long seq, DateTime utc, string kind, EventData fields)
    {
        const int spanHint = 4096;
        if (utc.Kind != DateTimeKind.Utc)
        {
            return false;
        }

        foreach (var name in ReservedNames)
        {
            if (fields.ContainsKey(name))
            {
                return false;
            }
        }

        var span = buffer.GetSpan(spanHint);
        var pos = JsonBufferWriter.TryCopy("{\"seq\":"u8, span);
        Utf8Formatter.TryFormat(seq, span[pos..], out var digits);
        pos += digits;
        pos += JsonBufferWriter.TryCopy(",\"ts\":\""u8, span[pos..]);
        pos += _timestamps.FormatUtc(utc, span[pos..]);
        pos += JsonBufferWriter.TryCopy("\",\"kind\":"u8, span[pos..]);
        var written = _json.TryPlainString(kind, span[pos..]);
        if (written < 0)
        {
            return false;
        }

        pos += written;
        if (fields.Count > 0)
        {
            span[pos++] = (byte)',';
            if (!_json.TryPlainProperties(fields, span, ref pos))
            {
                return false;
            }
        }

        buffer.Advance(pos);
        return true;
    }

    /// <summary>
    /// Writes a time as <see cref="Utf8JsonWriter"/> does: round-trip ("O") format with trailing fractional zeros
    /// trimmed (and the fraction dropped when it is zero); UTC ends in <c>Z</c>.
    /// </summary>
    private void WriteTimestamp(WalBuffer buffer, DateTime time)
    {
        var span = buffer.GetSpan(40);
        if (time.Kind == DateTimeKind.Utc)
        {
            buffer.Advance(_timestamps.FormatUtc(time, span));
            return;
        }

        if (!time.TryFormat(span, out var written, "O", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Could not format the WAL timestamp.");
        }

        // "yyyy-MM-ddTHH:mm:ss.fffffff" then nothing (Unspecified) or an offset (Local).
        const int fractionStart = 20; // index of the first fractional digit
        var end = fractionStart + 7;
        var kept = 7;
        while (kept > 0 && span[fractionStart + kept - 1] == (byte)'0')
        {
            kept--;
        }

        if (kept < 7)
        {
            var keep = kept == 0 ? fractionStart - 1 : fractionStart + kept; // drop the '.' too when no digits remain
            var tail = written - end;
            span.Slice(end, tail).CopyTo(span[keep..]);
            written = keep + tail;
        }

        buffer.Advance(written);
    }

    private static bool IsReserved(string key) => Array.IndexOf(ReservedNames, key) >= 0;

    private void WriteFields(WalBuffer buffer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        if (fields is EventData data)
        {
            for (var i = 0; i < data.Count; i++)
            {
                WriteField(buffer, data.KeyAt(i), data.ValueAt(i));
            }

            return;
        }

        foreach (var (key, value) in fields)
        {
            WriteField(buffer, key, value);
        }
    }

    private void WriteField(WalBuffer buffer, string key, object? value)
    {
        if (IsReserved(key))
        {
            throw new ArgumentException($"The field name '{key}' is reserved by the WAL record (seq, ts, kind, crc); rename the field.", "fields");
        }

        JsonBufferWriter.Raw(buffer, ","u8);
        _json.Property(buffer, key, value, depth: 1);
    }
}
