using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Index;

namespace Reyn.Cli.Commands;

/// <summary><c>reyn index events [--since ISO] [--mode append|replace] [--json]</c>: index the audit log into the <c>events</c> source.</summary>
internal static class IndexCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("index", "Build and update recall indexes under .reyn/index/.");
        var events = new Command("events", "Index completed runs from .reyn/events/**/*.jsonl into .reyn/index/events/ (incremental via .reyn/index/events_cursor).");
        var since = new Option<string?>("--since") { Description = "Index runs completed at or after this ISO-8601 time, overriding the cursor." };
        var mode = new Option<string>("--mode") { Description = "append (default): only runs newer than the cursor; replace: rebuild the source.", DefaultValueFactory = _ => "append" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (\"version\": 1)." };
        events.Options.Add(since);
        events.Options.Add(mode);
        events.Options.Add(json);
        events.SetAction((parseResult, cancellationToken) => IndexCliSupport.GuardAsync(context, async () =>
        {
            var root = context.ResolveRoot(parseResult);
            var request = new IndexEventsRequest
            {
                Since = IndexCliSupport.ParseTime(parseResult.GetValue(since), "--since"),
                Mode = parseResult.GetValue(mode)?.Trim().ToLowerInvariant() switch
                {
                    "append" or null or "" => IndexEventsMode.Append,
                    "replace" => IndexEventsMode.Replace,
                    var other => throw new CliUserException($"--mode '{other}' is not valid. Use --mode append (default) or --mode replace."),
                },
            };
            var asJson = parseResult.GetValue(json);
            var progress = asJson ? null : new StderrProgress(context.Error);
            var result = await new EventIndexer(IndexCliSupport.Backend(root), root).IndexAsync(request, progress, cancellationToken).ConfigureAwait(false);
            if (asJson)
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteNumber("indexedRuns", result.IndexedRuns);
                    w.WriteNumber("skippedRuns", result.SkippedRuns);
                    w.WriteNumber("filteredRuns", result.FilteredRuns);
                    w.WriteNumber("unchangedRuns", result.UnchangedRuns);
                    IndexCliSupport.WriteTime(w, "cursor", result.Cursor);
                    IndexCliSupport.WriteTime(w, "since", result.EffectiveSince);
                    w.WriteNumber("filesRead", result.FilesRead);
                    w.WriteNumber("skippedLines", result.SkippedLines);
                });
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"Indexed {result.IndexedRuns} run(s) into {Path.Combine(root, "index", "events")} " +
                    $"(skipped {result.SkippedRuns} unfinished, filtered {result.FilteredRuns}, unchanged {result.UnchangedRuns}; {result.FilesRead} file(s) read).").ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Cursor: {result.Cursor?.ToString("O") ?? "(none: no completed runs yet)"}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        command.Subcommands.Add(events);
        return command;
    }

    /// <summary>Prints progress to stderr on long runs: every 10% of files, only when there are many.</summary>
    private sealed class StderrProgress(TextWriter error) : IProgress<IndexEventsProgress>
    {
        private int _lastDecile = -1;

        public void Report(IndexEventsProgress value)
        {
            if (value.FilesTotal < 200)
            {
                return;
            }

            var decile = value.FilesDone * 10 / value.FilesTotal;
            if (decile != _lastDecile)
            {
                _lastDecile = decile;
                error.WriteLine($"index events: {value.FilesDone}/{value.FilesTotal} files, {value.IndexedRuns} runs indexed");
            }
        }
    }
}
