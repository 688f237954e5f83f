using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>The column values of one event, derived from the event and the catalog.</summary>
internal readonly record struct ActivityRow(
    long TimestampMs,
    string Timestamp,
    string? Project,
    string? Agent,
    string? Session,
    string? Run,
    string Source,
    string Type,
    string Level,
    string Summary,
    string Data)
{
    /// <summary>Maps an event to its row: summary, source and level from <see cref="EventCatalog"/>, data as JSON.</summary>
    public static ActivityRow From(ReynEvent evt, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            JsonValueWriter.WriteProperties(writer, evt.Data);
            writer.WriteEndObject();
        }

        var utc = evt.Timestamp.ToUniversalTime();
        return new ActivityRow(
            utc.ToUnixTimeMilliseconds(),
            utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            evt.Data.GetString(EventFields.Project),
            evt.Data.GetString(EventFields.Agent),
            evt.Data.GetString(EventFields.SessionId),
            evt.Data.GetString(EventFields.RunId),
            EventCatalog.SourceOf(evt.Type),
            evt.Type,
            EventCatalog.LevelName(EventCatalog.LevelOf(evt)),
            EventCatalog.Summarize(evt),
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
