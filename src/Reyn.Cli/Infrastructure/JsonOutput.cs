using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reyn.Cli.Infrastructure;

/// <summary>Writes the machine-readable output of <c>--json</c>: one indented object whose first property is <c>"version": 1</c>.</summary>
public static class JsonOutput
{
    /// <summary>The current version of every command's JSON shape.</summary>
    public const int Version = 1;

    /// <summary>Writes an object to <paramref name="output"/>: <c>version</c>, then what <paramref name="writeBody"/> adds.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> writeBody)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(writeBody);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writeBody(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
