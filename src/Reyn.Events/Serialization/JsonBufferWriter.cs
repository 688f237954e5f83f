using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using Reyn.Events.Internal;

namespace Reyn.Events.Serialization;

/// <summary>
/// Writes JSON fragments straight into a byte buffer: plain printable-ASCII strings, integers, booleans and null are
/// copied directly; anything else (escapes, non-ASCII, lone surrogates, dates, nested objects) goes through one reused
/// <see cref="Utf8JsonWriter"/> with the options given, so the bytes equal what that writer would have produced.
/// The audit log and the WAL write every line this way: most of their fields are short ASCII words and numbers, for
/// which the writer's escaping scan and UTF-16 transcoding were the largest per-line cost. Single-threaded.
/// </summary>
internal sealed class JsonBufferWriter : IDisposable
{
    private const int CacheSize = 256;
    private const int MaxCachedLength = 96;

    // Bytes that neither the default nor the relaxed encoder escapes: printable ASCII except '"', '\' and the
    // HTML-sensitive characters the default encoder escapes (so the fast path is right for both).
    private static readonly SearchValues<byte> PlainAscii = SearchValues.Create(PlainAsciiBytes());

    private readonly Utf8JsonWriter _json;

    // The quoted UTF-8 bytes of recently written string instances, by reference: payload keys, context values and
    // literals repeat on almost every line and are then copied instead of scanned and converted again.
    private readonly CachedString[] _cache = new CachedString[CacheSize];

    /// <summary>Creates a writer whose non-plain values are written with <paramref name="options"/>.</summary>
    public JsonBufferWriter(JsonWriterOptions options) => _json = new Utf8JsonWriter(Stream.Null, options);

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    /// <summary>Copies <paramref name="bytes"/> as they are.</summary>
    public static void Raw(IBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    /// <summary>Writes an integer.</summary>
    public static void Int64(IBufferWriter<byte> buffer, long value)
    {
        var span = buffer.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        buffer.Advance(written);
    }

    /// <summary>Writes a quoted JSON string: copied directly when it is plain printable ASCII, else through the encoder.</summary>
    public void String(IBufferWriter<byte> buffer, string value)
    {
        var written = TryPlainString(value, buffer.GetSpan(value.Length + 2));
        if (written >= 0)
        {
            buffer.Advance(written);
            return;
        }

        _json.Reset(buffer);
        _json.WriteStringValue(Utf16Text.Scrub(value));
        _json.Flush();
    }

    /// <summary>
    /// Writes <paramref name="fields"/> like <see cref="Properties"/> into <paramref name="span"/> from
    /// <paramref name="position"/> when every key and value is plain (printable-ASCII strings, integers, booleans, null)
    /// and it all fits; otherwise returns <see langword="false"/> and the caller writes the fields the general way.
    /// One span for the whole line instead of a buffer call per token: the common event costs a copy per field.
    /// </summary>
    public bool TryPlainProperties(EventData fields, Span<byte> span, ref int position)
    {
        var pos = position;
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                if (pos >= span.Length)
                {
                    return false;
                }

                span[pos++] = (byte)',';
            }

            var written = TryPlainString(fields.KeyAt(i), span[pos..]);
            if (written < 0 || pos + written >= span.Length)
            {
                return false;
            }

            pos += written;
            span[pos++] = (byte)':';
            written = fields.ValueAt(i) switch
            {
                string s => TryPlainString(s, span[pos..]),
                int n => Utf8Formatter.TryFormat(n, span[pos..], out var digits) ? digits : -1,
                long n => Utf8Formatter.TryFormat(n, span[pos..], out var digits) ? digits : -1,
                bool b => TryCopy(b ? "true"u8 : "false"u8, span[pos..]),
                null => TryCopy("null"u8, span[pos..]),
                _ => -1,
            };
            if (written < 0)
            {
                return false;
            }

            pos += written;
        }

        position = pos;
        return true;
    }

    /// <summary>Copies <paramref name="bytes"/> into <paramref name="span"/>; the count, or -1 when they do not fit.</summary>
    public static int TryCopy(ReadOnlySpan<byte> bytes, Span<byte> span) => bytes.TryCopyTo(span) ? bytes.Length : -1;

    /// <summary>
    /// Writes <paramref name="value"/> quoted into <paramref name="span"/> when it is plain printable ASCII and fits;
    /// the byte count, or -1 (nothing meaningful written) when it is not plain or does not fit. Bytes of
    /// <paramref name="span"/> past the count may be overwritten (callers write on into the same span).
    /// </summary>
    public int TryPlainString(string value, Span<byte> span)
    {
        var slot = RuntimeHelpers.GetHashCode(value) & (CacheSize - 1);
        ref var entry = ref _cache[slot];
        if (ReferenceEquals(entry.Text, value) && entry.Quoted is { } quoted)
        {
            return CopyCached(quoted, entry.Length, span);
        }

        if (span.Length < value.Length + 2)
        {
            return -1;
        }

        var text = span.Slice(1, value.Length);
        if (Ascii.FromUtf16(value, text, out _) != OperationStatus.Done || text.ContainsAnyExcept(PlainAscii))
        {
            return -1;
        }

        span[0] = (byte)'"';
        span[value.Length + 1] = (byte)'"';
        var length = value.Length + 2;
        if (value.Length <= MaxCachedLength)
        {
            // Keep the bytes only for an instance seen twice in a row in this slot (a key, a stamped context value,
            // a literal), so text that is new on every line costs no allocation here.
            entry.Quoted = null;
            if (ReferenceEquals(entry.Text, value))
            {
                entry.Quoted = new byte[(length + 15) & ~15];
                span[..length].CopyTo(entry.Quoted);
                entry.Length = length;
            }

            entry.Text = value;
        }

        return length;
    }

    /// <summary>
    /// Copies cached quoted bytes in whole 16-byte blocks (the array is zero-padded to a multiple of 16) when the span
    /// has room for the padding: a call to a general copy per short string cost more than the copy itself.
    /// </summary>
    private static int CopyCached(byte[] padded, int length, Span<byte> span)
    {
        if (!Vector128.IsHardwareAccelerated || span.Length < padded.Length)
        {
            return TryCopy(padded.AsSpan(0, length), span);
        }

        ref var source = ref MemoryMarshal.GetArrayDataReference(padded);
        ref var target = ref MemoryMarshal.GetReference(span);
        for (nuint offset = 0; offset < (nuint)padded.Length; offset += 16)
        {
            Vector128.LoadUnsafe(ref source, offset).StoreUnsafe(ref target, offset);
        }

        return length;
    }

    /// <summary>Writes <c>"name":value</c> (no separator before it); the value nests <paramref name="depth"/> levels deep (1 for a top-level object's fields).</summary>
    public void Property(IBufferWriter<byte> buffer, string name, object? value, int depth)
    {
        String(buffer, name);
        Raw(buffer, ":"u8);
        Value(buffer, value, depth);
    }

    /// <summary>Writes <paramref name="fields"/> as the comma-separated properties of an object (no braces).</summary>
    public void Properties(IBufferWriter<byte> buffer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        if (fields is EventData data)
        {
            for (var i = 0; i < data.Count; i++)
            {
                if (i > 0)
                {
                    Raw(buffer, ","u8);
                }

                Property(buffer, data.KeyAt(i), data.ValueAt(i), 1);
            }

            return;
        }

        var first = true;
        foreach (var (key, value) in fields)
        {
            if (!first)
            {
                Raw(buffer, ","u8);
            }

            Property(buffer, key, value, 1);
            first = false;
        }
    }

    /// <summary>Writes one JSON value as <see cref="JsonValueWriter"/> would at <paramref name="depth"/>.</summary>
    public void Value(IBufferWriter<byte> buffer, object? value, int depth)
    {
        switch (value)
        {
            case string s:
                String(buffer, s);
                return;
            case int i:
                Int64(buffer, i);
                return;
            case long l:
                Int64(buffer, l);
                return;
            case bool b:
                Raw(buffer, b ? "true"u8 : "false"u8);
                return;
            case null:
                Raw(buffer, "null"u8);
                return;
            default:
                _json.Reset(buffer);
                JsonValueWriter.WriteValue(_json, value, depth);
                _json.Flush();
                return;
        }
    }

    private struct CachedString
    {
        public string? Text;
        public byte[]? Quoted;
        public int Length;
    }

    private static byte[] PlainAsciiBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0x20; b <= 0x7E; b++)
        {
            if (b is not '"' and not '\\' and not '<' and not '>' and not '&' and not '\'' and not '+' and not '`')
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
