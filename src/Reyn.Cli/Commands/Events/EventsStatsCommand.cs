using System.CommandLine;
using System.Globalization;
using Reyn.Cli.Infrastructure;
using Reyn.Events.ActivityStore;
using Spectre.Console;

namespace Reyn.Cli.Commands.Events;

/// <summary><c>reyn events stats</c>: totals, drops, oldest/newest, counts by type, source and level, hourly histogram.</summary>
internal static class EventsStatsCommand
{
    public static Command Create(CliContext context)
    {
        var filters = new EventFilterOptions();
        var command = new Command("stats", "Show activity store statistics (the histogram covers --since..--until, default the last 24 hours).");
        filters.AddTo(command);
        EventsCommandRunner.SetAction(command, context, async (parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = filters.Build(parseResult, now);
            var store = EventsCommandRunner.OpenStore(context, parseResult);
            var stats = await store.GetStatsAsync(query, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(filters.Json))
            {
                WriteJson(context.Out, parseResult, filters, query, stats, now);
            }
            else
            {
                WriteHuman(context.Out, stats);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, ParseResult parseResult, EventFilterOptions filters, ActivityQuery query, ActivityStats stats, DateTimeOffset now)
    {
        JsonOutput.Write(output, writer =>
        {
            filters.WriteQuery(writer, parseResult, query, paged: false);
            ActivityOutput.WriteMeta(writer, (int)Math.Min(int.MaxValue, stats.Total), stats.DroppedEventCount, stats.FtsEnabled, fallbackUsed: false, now);
            writer.WriteStartObject("stats");
            writer.WriteNumber("total", stats.Total);
            writer.WriteNumber("droppedEventCount", stats.DroppedEventCount);
            writer.WriteString("oldest", stats.Oldest is { } o ? ActivityOutput.FormatTime(o) : null);
            writer.WriteString("newest", stats.Newest is { } n ? ActivityOutput.FormatTime(n) : null);
            WriteCounts(writer, "byType", stats.ByType);
            WriteCounts(writer, "bySource", stats.BySource);
            WriteCounts(writer, "byLevel", stats.ByLevel);
            writer.WriteStartObject("window");
            writer.WriteString("start", ActivityOutput.FormatTime(stats.WindowStart));
            writer.WriteString("end", ActivityOutput.FormatTime(stats.WindowEnd));
            writer.WriteEndObject();
            writer.WriteStartArray("hourly");
            foreach (var bucket in stats.Hourly)
            {
                writer.WriteStartObject();
                writer.WriteString("hour", ActivityOutput.FormatTime(bucket.Hour));
                writer.WriteNumber("count", bucket.Count);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteCounts(System.Text.Json.Utf8JsonWriter writer, string name, IReadOnlyList<ActivityCount> counts)
    {
        writer.WriteStartObject(name);
        foreach (var count in counts)
        {
            writer.WriteNumber(count.Key, count.Count);
        }

        writer.WriteEndObject();
    }

    private static void WriteHuman(TextWriter output, ActivityStats stats)
    {
        if (stats.Total == 0)
        {
            output.WriteLine(ActivityOutput.NoEvents);
            output.WriteLine($"Dropped events:  {stats.DroppedEventCount}");
            return;
        }

        output.WriteLine("Event store stats");
        output.WriteLine($"  Total events:    {stats.Total}");
        output.WriteLine($"  Dropped events:  {stats.DroppedEventCount}");
        output.WriteLine($"  Oldest event:    {(stats.Oldest is { } o ? ActivityOutput.FormatTime(o) : "-")}");
        output.WriteLine($"  Newest event:    {(stats.Newest is { } n ? ActivityOutput.FormatTime(n) : "-")}");
        output.WriteLine($"  Full-text index: {(stats.FtsEnabled ? "yes" : "no (search uses LIKE)")}");
        var console = ActivityOutput.Console(output);
        foreach (var (title, counts) in new[] { ("TYPE", stats.ByType), ("SOURCE", stats.BySource), ("LEVEL", stats.ByLevel) })
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn(title);
            table.AddColumn(new TableColumn("COUNT").RightAligned());
            foreach (var count in counts)
            {
                table.AddRow(new Text(count.Key), new Text(count.Count.ToString(CultureInfo.InvariantCulture)));
            }

            console.Write(table);
        }

        output.WriteLine($"Per hour, {ActivityOutput.FormatTime(stats.WindowStart)} .. {ActivityOutput.FormatTime(stats.WindowEnd)}:");
        var max = 1L;
        foreach (var bucket in stats.Hourly)
        {
            max = Math.Max(max, bucket.Count);
        }

        foreach (var bucket in stats.Hourly)
        {
            var bar = new string('#', (int)Math.Ceiling(40.0 * bucket.Count / max));
            output.WriteLine($"  {bucket.Hour.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture)}  {bucket.Count,8}  {bar}");
        }
    }
}
