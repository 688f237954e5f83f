using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reyn.Events;
using Reyn.Events.Serialization;

namespace Reyn.State.Internal;

/// <summary>
/// Serializes one WAL record straight into the pending buffer: <c>{"seq":N,"ts":"…","kind":"…",…fields</c>, then
/// <see cref="WalLine.Seal"/> adds the CRC in place. Plain printable-ASCII strings, integers, booleans and null are
/// copied without a <see cref="Utf8JsonWriter"/>; anything else (escapes, non-ASCII, dates, nested objects) goes
/// through the writer with the same encoder, so the bytes are identical to writing the whole record with
/// <see cref="Utf8JsonWriter"/> and <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>.
/// </summary>
internal sealed class WalRecordWriter
{
    /// <summary>The encoder options every WAL line is written with.</summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // Bytes that the relaxed encoder never escapes: printable ASCII except '"' and '\'.
    private static readonly SearchValues<byte> PlainAscii = SearchValues.Create(PlainAsciiBytes());

    private readonly Utf8JsonWriter _json;

    public WalRecordWriter(WalBuffer initial) => _json = new Utf8JsonWriter(initial, JsonOptions);

    /// <summary>Appends one sealed record (with its trailing newline) to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">A field name is reserved (seq, ts, kind, crc).</exception>
    public void Write(WalBuffer buffer, long seq, DateTime utc, string kind, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var start = buffer.Length;
        Raw(buffer, "{\"seq\":"u8);
        WriteInt64(buffer, seq);
        Raw(buffer, ",\"ts\":\""u8);
        WriteTimestamp(buffer, utc);
        Raw(buffer, "\",\"kind\":"u8);
        WriteString(buffer, kind);
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

        Raw(buffer, ","u8);
        WriteString(buffer, key);
        Raw(buffer, ":"u8);
        switch (value)
        {
            case string s:
                WriteString(buffer, s);
                break;
            case int i:
                WriteInt64(buffer, i);
                break;
            case long l:
                WriteInt64(buffer, l);
                break;
            case bool b:
                Raw(buffer, b ? "true"u8 : "false"u8);
                break;
            case null:
                Raw(buffer, "null"u8);
                break;
            default:
                _json.Reset(buffer);
                JsonValueWriter.WriteValue(_json, value);
                _json.Flush();
                break;
        }
    }

    /// <summary>A quoted JSON string: copied directly when it is plain printable ASCII, else through the encoder.</summary>
    private void WriteString(WalBuffer buffer, string value)
    {
        var span = buffer.GetSpan(value.Length + 2);
        if (Ascii.FromUtf16(value, span.Slice(1, value.Length), out _) == OperationStatus.Done
            && !span.Slice(1, value.Length).ContainsAnyExcept(PlainAscii))
        {
            span[0] = (byte)'"';
            span[value.Length + 1] = (byte)'"';
            buffer.Advance(value.Length + 2);
            return;
        }

        _json.Reset(buffer);
        _json.WriteStringValue(value);
        _json.Flush();
    }

    private static void WriteInt64(WalBuffer buffer, long value)
    {
        var span = buffer.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        buffer.Advance(written);
    }

    private static void Raw(WalBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    private static byte[] PlainAsciiBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0x20; b <= 0x7E; b++)
        {
            if (b is not '"' and not '\\')
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
