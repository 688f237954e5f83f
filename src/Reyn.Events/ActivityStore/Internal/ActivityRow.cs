using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
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
    string Data,
    string Body)
{
    /// <summary>Top-level fields whose string values the FTS body leaves out (see <see cref="ActivitySchema.BodyExpression"/>).</summary>
    private static readonly HashSet<string> NotIndexed =
        [EventFields.Project, EventFields.Agent, EventFields.SessionId, EventFields.RunId, EventFields.Level, EventFields.Emitter, EventFields.AuditSeq];

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
            Encoding.UTF8.GetString(buffer.WrittenSpan),
            BodyOf(buffer.WrittenSpan));
    }

    /// <summary>
    /// Sets the row's eleven column values (<c>ts_epoch, ts, project, agent, session_id, run_id, source, type, level,
    /// summary, data</c>, in that order) into <paramref name="parameters"/> from index <paramref name="first"/> on.
    /// </summary>
    public void BindColumns(SqliteParameter[] parameters, int first)
    {
        parameters[first].Value = TimestampMs;
        parameters[first + 1].Value = Timestamp;
        parameters[first + 2].Value = (object?)Project ?? DBNull.Value;
        parameters[first + 3].Value = (object?)Agent ?? DBNull.Value;
        parameters[first + 4].Value = (object?)Session ?? DBNull.Value;
        parameters[first + 5].Value = (object?)Run ?? DBNull.Value;
        parameters[first + 6].Value = Source;
        parameters[first + 7].Value = Type;
        parameters[first + 8].Value = Level;
        parameters[first + 9].Value = Summary;
        parameters[first + 10].Value = Data;
    }

    /// <summary>
    /// The FTS body of a JSON payload: its string values joined by spaces (keys, numbers and booleans left out), minus
    /// the top-level string values of <see cref="NotIndexed"/> fields. The same text the schema's SQL expression
    /// derives when it rebuilds the index, so a rebuilt index ranks like a written one.
    /// </summary>
    public static string BodyOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var body = new StringBuilder();
        var skipNext = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    skipNext = reader.CurrentDepth == 1 && NotIndexed.Contains(reader.GetString()!);
                    continue;
                case JsonTokenType.String when !skipNext:
                    if (body.Length > 0)
                    {
                        body.Append(' ');
                    }

                    body.Append(reader.GetString());
                    break;
            }

            skipNext = false;
        }

        return body.ToString();
    }
}
