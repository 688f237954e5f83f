using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Reyn.State.Internal;

/// <summary>
/// The line format of the WAL: <c>{"seq":N,"ts":"…Z","kind":"…",…fields,"crc":"xxxxxxxx"}</c> followed by <c>\n</c>.
/// The CRC32C (lowercase hex) covers every byte of the line before <c>,"crc":</c>.
/// </summary>
internal static class WalLine
{
    /// <summary>The bytes after the CRC-covered prefix: <c>,"crc":"</c> + 8 hex + <c>"}</c>.</summary>
    public const int SuffixLength = 18;

    private static ReadOnlySpan<byte> CrcLead => ",\"crc\":\""u8;
    private static ReadOnlySpan<byte> SeqLead => "{\"seq\":"u8;

    /// <summary>Appends the CRC suffix and the newline to a record whose prefix occupies <c>buffer[start..]</c>.</summary>
    public static void Seal(WalBuffer buffer, int start)
    {
        var crc = Crc32C.Compute(buffer.Span[start..]);
        var span = buffer.GetSpan(SuffixLength + 1);
        CrcLead.CopyTo(span);
        WriteHex(crc, span.Slice(8, 8));
        span[16] = (byte)'"';
        span[17] = (byte)'}';
        span[18] = (byte)'\n';
        buffer.Advance(SuffixLength + 1);
    }

    /// <summary>
    /// Checks one line (without its <c>\n</c>): frame, CRC and the leading seq. Returns <see langword="false"/> with a
    /// reason when the line is not a valid record.
    /// </summary>
    public static bool TryVerify(ReadOnlySpan<byte> line, out long seq, out string? problem)
    {
        seq = 0;
        if (line.Length < SeqLead.Length + SuffixLength + 1)
        {
            problem = line.Length == 0 ? "empty line" : "line too short to be a record";
            return false;
        }

        if (!line.StartsWith(SeqLead))
        {
            problem = "line does not start with {\"seq\":";
            return false;
        }

        var suffix = line[^SuffixLength..];
        if (!suffix.StartsWith(CrcLead) || suffix[16] != (byte)'"' || suffix[17] != (byte)'}')
        {
            problem = "line does not end with a \"crc\" field";
            return false;
        }

        if (!TryParseHex(suffix.Slice(8, 8), out var stored))
        {
            problem = "crc is not 8 hex digits";
            return false;
        }

        var actual = Crc32C.Compute(line[..^SuffixLength]);
        if (actual != stored)
        {
            problem = $"crc mismatch (stored {stored:x8}, computed {actual:x8})";
            return false;
        }

        if (!Utf8Parser.TryParse(line[SeqLead.Length..], out seq, out var consumed) || consumed == 0 || seq <= 0 || line[SeqLead.Length + consumed] != (byte)',')
        {
            problem = "seq is not a positive integer";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Reads the <c>kind</c> of a verified line.</summary>
    public static string ReadKind(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKind = reader.ValueTextEquals("kind"u8);
            reader.Read();
            if (isKind && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString()!;
            }

            reader.Skip();
        }

        return string.Empty;
    }

    /// <summary>Parses a verified line into a <see cref="WalRecord"/>; fields are everything except seq, ts, kind, crc.</summary>
    public static WalRecord Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var fieldsBuffer = new MemoryStream(line.Length);
        long seq = 0;
        var ts = default(DateTimeOffset);
        var kind = string.Empty;
        using (var writer = new Utf8JsonWriter(fieldsBuffer, WalRecordWriter.JsonOptions))
        {
            writer.WriteStartObject();
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    seq = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    reader.Read();
                    if (!reader.TryGetDateTimeOffset(out ts))
                    {
                        ts = default;
                    }
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    kind = reader.GetString() ?? string.Empty;
                }
                else if (reader.ValueTextEquals("crc"u8))
                {
                    reader.Read();
                }
                else
                {
                    writer.WritePropertyName(reader.GetString()!);
                    reader.Read();
                    using var value = JsonDocument.ParseValue(ref reader);
                    value.RootElement.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(fieldsBuffer.GetBuffer().AsMemory(0, (int)fieldsBuffer.Length));
        return new WalRecord(seq, ts, kind, document.RootElement.Clone());
    }

    /// <summary>A short printable excerpt of a bad line for error messages.</summary>
    public static string Excerpt(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)]);
        return line.Length > 80 ? text + "…" : text;
    }

    private static void WriteHex(uint value, Span<byte> destination)
    {
        for (var i = 7; i >= 0; i--)
        {
            destination[i] = "0123456789abcdef"u8[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static bool TryParseHex(ReadOnlySpan<byte> hex, out uint value)
    {
        value = 0;
        foreach (var c in hex)
        {
            int nibble = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }
}
