using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reyn.Events.Serialization;

/// <summary>
/// Writes a <see cref="ReynEvent"/> as the audit-log envelope <c>{"type","timestamp","data"}</c> with
/// <see cref="Utf8JsonWriter"/> (no reflection): UTF-8, the timestamp as ISO-8601 with its offset, non-ASCII text
/// written as is, lone UTF-16 surrogates replaced by U+FFFD.
/// </summary>
public static class EventJsonWriter
{
    /// <summary>The writer options of the audit log: compact, UTF-8 text unescaped where JSON allows it.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Writes <paramref name="evt"/> as one JSON object (no trailing newline).</summary>
    public static void Write(Utf8JsonWriter writer, ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(evt);
        writer.WriteStartObject();
        writer.WriteString("type"u8, Internal.Utf16Text.Scrub(evt.Type));
        writer.WritePropertyName("timestamp"u8);
        Internal.TimestampUtf8.Current.WriteValue(writer, evt.Timestamp);
        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        JsonValueWriter.WriteProperties(writer, evt.Data);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <paramref name="evt"/> as one line (the object plus <c>\n</c>) into <paramref name="output"/>, reusing
    /// <paramref name="writer"/> (which is reset onto <paramref name="output"/>).
    /// </summary>
    /// <returns>The number of bytes written, newline included.</returns>
    public static int WriteLine(Utf8JsonWriter writer, IBufferWriter<byte> output, ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(output);
        writer.Reset(output);
        Write(writer, evt);
        writer.Flush();
        var written = (int)writer.BytesCommitted;
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
        return written + 1;
    }

    /// <summary>
    /// Writes <paramref name="evt"/> as one line into <paramref name="output"/> through <paramref name="writer"/>'s fast
    /// paths; the bytes equal <see cref="WriteLine(Utf8JsonWriter, IBufferWriter{byte}, ReynEvent)"/>'s.
    /// </summary>
    internal static void WriteLine(JsonBufferWriter writer, IBufferWriter<byte> output, ReynEvent evt)
    {
        if (TryWritePlainLine(writer, output, evt))
        {
            return;
        }

        JsonBufferWriter.Raw(output, "{\"type\":"u8);
        writer.String(output, evt.Type);
        JsonBufferWriter.Raw(output, ",\"timestamp\":"u8);
        Internal.TimestampUtf8.Current.Write(output, evt.Timestamp);
        JsonBufferWriter.Raw(output, ",\"data\":{"u8);
        writer.Properties(output, evt.Data);
        JsonBufferWriter.Raw(output, "}}\n"u8);
    }

    /// <summary>The whole line in one span when the type and every field are plain (see <see cref="JsonBufferWriter.TryPlainProperties"/>).</summary>
    private static bool TryWritePlainLine(JsonBufferWriter writer, IBufferWriter<byte> output, ReynEvent evt)
    {
        const int spanHint = 4096;
        var span = output.GetSpan(spanHint);
        var pos = JsonBufferWriter.TryCopy("{\"type\":"u8, span);
        var written = writer.TryPlainString(evt.Type, span[pos..]);
        if (written < 0 || span.Length - pos - written < 14 + Internal.TimestampUtf8.MaxLength + 10)
        {
            return false;
        }

        pos += written;
        pos += JsonBufferWriter.TryCopy(",\"timestamp\":"u8, span[pos..]);
        pos += Internal.TimestampUtf8.Current.Format(evt.Timestamp, span[pos..]);
        pos += JsonBufferWriter.TryCopy(",\"data\":{"u8, span[pos..]);
        if (!writer.TryPlainProperties(evt.Data, span, ref pos) || JsonBufferWriter.TryCopy("}}\n"u8, span[pos..]) < 0)
        {
            return false;
        }

        output.Advance(pos + 3);
        return true;
    }

    /// <summary>The envelope of <paramref name="evt"/> as a JSON string (no newline); convenient in tests and tools.</summary>
    public static string ToJson(ReynEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, evt);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
