using System.Globalization;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Events.ActivityStore;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reyn.Cli.Commands.Events;

/// <summary>Renders activity query results: the versioned JSON envelope and the human tables.</summary>
internal static class ActivityOutput
{
    public const string NoEvents = "No events found.";

    /// <summary>Writes <c>{"version":1,"query":{...},"meta":{...},"events":[...]}</c>.</summary>
    public static void WriteJson(TextWriter output, ActivityPage page, DateTimeOffset now, Action<Utf8JsonWriter> writeQuery, bool withRank)
    {
        JsonOutput.Write(output, writer =>
        {
            writeQuery(writer);
            WriteMeta(writer, page.Events.Count, page.DroppedEventCount, page.FtsEnabled, page.FallbackUsed, now);
            writer.WriteStartArray("events");
            foreach (var e in page.Events)
            {
                WriteEvent(writer, e, withRank);
            }

            writer.WriteEndArray();
        });
    }

    public static void WriteMeta(Utf8JsonWriter writer, int resultCount, long dropped, bool ftsEnabled, bool fallbackUsed, DateTimeOffset now)
    {
        writer.WriteStartObject("meta");
        writer.WriteNumber("resultCount", resultCount);
        writer.WriteNumber("droppedEventCount", dropped);
        writer.WriteBoolean("ftsEnabled", ftsEnabled);
        writer.WriteBoolean("fallbackUsed", fallbackUsed);
        writer.WriteString("ts", FormatTime(now));
        writer.WriteEndObject();
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A console that renders to <paramref name="output"/> without colours, wide enough for summaries.</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        return console;
    }

    /// <summary>The human table: id, time, type, level, session or run, summary; then a count and the next-page hint.</summary>
    public static void WriteTable(TextWriter output, ActivityPage page, int limit, bool paged)
    {
        if (page.Events.Count == 0)
        {
            output.WriteLine(NoEvents);
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("ID");
        table.AddColumn("TIME (UTC)");
        table.AddColumn("TYPE");
        table.AddColumn("LEVEL");
        table.AddColumn("SESSION/RUN");
        table.AddColumn("SUMMARY");
        foreach (var e in page.Events)
        {
            table.AddRow(new IRenderable[]
            {
                new Text(e.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                new Text(e.Type),
                new Text(e.Level),
                new Text(e.Session ?? e.Run ?? "-"),
                new Text(e.Summary),
            });
        }

        Console(output).Write(table);
        output.WriteLine($"{page.Events.Count} event(s){(page.FallbackUsed ? " (full-text index unavailable: LIKE fallback, newest first)" : string.Empty)}");
        if (paged && page.Events.Count >= limit && page.NextBeforeId is { } next)
        {
            output.WriteLine($"More: add --before-id {next.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void WriteEvent(Utf8JsonWriter writer, ActivityRecord e, bool withRank)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", e.Id);
        writer.WriteNumber("tsEpoch", e.TimestampMs);
        writer.WriteString("ts", e.Timestamp);
        writer.WriteString("project", e.Project);
        writer.WriteString("agent", e.Agent);
        writer.WriteString("sessionId", e.Session);
        writer.WriteString("runId", e.Run);
        writer.WriteString("source", e.Source);
        writer.WriteString("type", e.Type);
        writer.WriteString("level", e.Level);
        writer.WriteString("summary", e.Summary);
        writer.WritePropertyName("data");
        WriteData(writer, e.Data);
        if (withRank && e.Rank is { } rank)
        {
            writer.WriteNumber("rank", rank);
        }

        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, string? data)
    {
        if (data is null)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(data);
        }
    }
}
