using System.CommandLine;
using Reyn.Cli.Infrastructure;

namespace Reyn.Cli.Commands.Events;

/// <summary>
/// <c>reyn events purge --before DATE [--dry-run]</c>: deletes JSONL audit files under <c>&lt;root&gt;/events/</c> whose
/// last write is strictly before DATE (so they hold no event at or after it); empty month directories go too.
/// </summary>
internal static class EventsPurgeCommand
{
    public static Command Create(CliContext context)
    {
        var before = new Option<string>("--before")
        {
            Description = "Delete files last written before this time: ISO-8601 (2026-05-01) or an age (30d).",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be deleted; delete nothing." };
        var json = new Option<bool>("--json") { Description = "Print {\"version\":1, ...} instead of lines." };
        var command = new Command("purge", "Delete old JSONL audit files (the activity store has its own retention).");
        command.Options.Add(before);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        EventsCommandRunner.SetAction(command, context, (parseResult, _) =>
        {
            var now = DateTimeOffset.UtcNow;
            var cutoff = EventFilterOptions.ParseTime(parseResult.GetValue(before), "--before", now, endOfDay: false)!.Value;
            var root = context.ResolveRoot(parseResult);
            var eventsDir = Path.Combine(root, "events");
            var dry = parseResult.GetValue(dryRun);
            var asJson = parseResult.GetValue(json);
            var files = Directory.Exists(eventsDir)
                ? Directory.GetFiles(eventsDir, "*.jsonl", SearchOption.AllDirectories)
                : [];
            Array.Sort(files, StringComparer.Ordinal);
            var selected = new List<string>();
            var failed = 0;
            foreach (var file in files)
            {
                if (File.GetLastWriteTimeUtc(file) >= cutoff.UtcDateTime)
                {
                    continue;
                }

                var relative = Path.GetRelativePath(root, file);
                if (dry)
                {
                    selected.Add(relative);
                    if (!asJson)
                    {
                        context.Out.WriteLine($"[dry-run] {relative}");
                    }

                    continue;
                }

                try
                {
                    File.Delete(file);
                    selected.Add(relative);
                    if (!asJson)
                    {
                        context.Out.WriteLine($"delete: {relative}");
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failed++;
                    context.Error.WriteLine($"warning: could not delete {relative}: {ex.Message}");
                }
            }

            if (!dry && Directory.Exists(eventsDir))
            {
                foreach (var dir in Directory.GetDirectories(eventsDir))
                {
                    if (Directory.GetFileSystemEntries(dir).Length == 0)
                    {
                        Directory.Delete(dir);
                    }
                }
            }

            if (asJson)
            {
                JsonOutput.Write(context.Out, writer =>
                {
                    writer.WriteString("before", ActivityOutput.FormatTime(cutoff));
                    writer.WriteBoolean("dryRun", dry);
                    writer.WriteStartArray("files");
                    foreach (var file in selected)
                    {
                        writer.WriteStringValue(file);
                    }

                    writer.WriteEndArray();
                    writer.WriteNumber("deletedCount", dry ? 0 : selected.Count);
                    writer.WriteNumber("totalCount", files.Length);
                    writer.WriteNumber("failedCount", failed);
                });
            }
            else if (dry)
            {
                context.Out.WriteLine($"Would delete {selected.Count} of {files.Length} files (dry run, nothing deleted).");
            }
            else
            {
                context.Out.WriteLine($"Deleted {selected.Count} of {files.Length} files.");
            }

            return Task.FromResult(failed > 0 ? ExitCodes.Failure : ExitCodes.Success);
        });
        return command;
    }
}
