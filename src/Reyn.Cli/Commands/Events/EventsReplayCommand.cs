using System.CommandLine;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Events.Replay;
using Reyn.Events.Serialization;

namespace Reyn.Cli.Commands.Events;

/// <summary>
/// <c>reyn events replay &lt;file|dir|run_id&gt;</c>: renders the JSONL audit log. A run id resolves to
/// <c>&lt;root&gt;/events/*/&lt;run_id&gt;.jsonl</c>. Bad lines are skipped with a <c>file:line</c> warning on stderr.
/// </summary>
internal static class EventsReplayCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("target") { Description = "A .jsonl file, a directory (read recursively, in time order) or a run id." };
        var include = new Option<string[]>("--filter") { Description = "Only this event type; repeat for several." };
        var skip = new Option<string[]>("--skip") { Description = "Never this event type; repeat for several." };
        var conversation = new Option<bool>("--conversation") { Description = "Show the LLM conversation: context_built and llm_response_received." };
        var since = new Option<string?>("--since") { Description = "Only events at or after this time: 30m, 24h, 7d or ISO-8601." };
        var until = new Option<string?>("--until") { Description = "Only events at or before this time (a bare date means the end of that day)." };
        var json = new Option<bool>("--json") { Description = "Print {\"version\":1, ...} with the matched events instead of lines." };
        var command = new Command("replay", "Replay the JSONL audit log of a file, a directory or a run.");
        command.Arguments.Add(target);
        command.Options.Add(include);
        command.Options.Add(skip);
        command.Options.Add(conversation);
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(json);
        EventsCommandRunner.SetAction(command, context, (parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var includeTypes = parseResult.GetValue(include) ?? [];
            var skipTypes = parseResult.GetValue(skip) ?? [];
            foreach (var type in includeTypes)
            {
                EventFilterOptions.RequireKnownType(type, "--filter");
            }

            foreach (var type in skipTypes)
            {
                EventFilterOptions.RequireKnownType(type, "--skip");
            }

            var options = new ReplayOptions
            {
                IncludeTypes = includeTypes,
                SkipTypes = skipTypes,
                Conversation = parseResult.GetValue(conversation),
                Since = EventFilterOptions.ParseTime(parseResult.GetValue(since), "--since", now, endOfDay: false),
                Until = EventFilterOptions.ParseTime(parseResult.GetValue(until), "--until", now, endOfDay: true),
            };
            var path = ResolveTarget(context, parseResult, parseResult.GetValue(target)!);
            var reader = new ReplayReader(options);
            var asJson = parseResult.GetValue(json);
            var warnings = new List<ReplayWarning>();
            void Warn(ReplayWarning warning)
            {
                warnings.Add(warning);
                context.Error.WriteLine($"warning: {warning}");
            }

            var events = reader.Read(path, Warn);
            var where = Directory.Exists(path) ? $"{path} ({reader.FileCount} files)" : path;
            if (asJson)
            {
                JsonOutput.Write(context.Out, writer =>
                {
                    writer.WriteString("target", path);
                    writer.WriteStartArray("events");
                    foreach (var evt in events)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        writer.WriteStartObject();
                        writer.WriteString("type", evt.Type);
                        writer.WriteString("timestamp", evt.Timestamp);
                        writer.WriteStartObject("data");
                        JsonValueWriter.WriteProperties(writer, evt.Data);
                        writer.WriteEndObject();
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteNumber("fileCount", reader.FileCount);
                    writer.WriteNumber("matchedCount", reader.MatchedCount);
                    writer.WriteStartArray("warnings");
                    foreach (var warning in warnings)
                    {
                        writer.WriteStringValue(warning.ToString());
                    }

                    writer.WriteEndArray();
                });
                return Task.FromResult(ExitCodes.Success);
            }

            var render = ReplayRendering.Create(options.Conversation);
            var rendered = 0L;
            foreach (var evt in events)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (render(evt) is { } line)
                {
                    context.Out.WriteLine(line);
                    rendered++;
                }
            }

            if (reader.MatchedCount == 0)
            {
                context.Out.WriteLine(ActivityOutput.NoEvents);
            }

            where = Directory.Exists(path) ? $"{path} ({reader.FileCount} files)" : path;
            context.Out.WriteLine($"({reader.MatchedCount} matched, {rendered} rendered from {where})");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string ResolveTarget(CliContext context, ParseResult parseResult, string target)
    {
        if (File.Exists(target) || Directory.Exists(target))
        {
            return Path.GetFullPath(target);
        }

        if (target.IndexOfAny(['/', '\\']) >= 0 || target.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUserException($"'{target}' does not exist. Give a .jsonl file, a directory or a run id.");
        }

        string root;
        try
        {
            root = context.ResolveRoot(parseResult);
        }
        catch (CliUserException ex)
        {
            throw new CliUserException($"'{target}' is not a file or directory, and it cannot be looked up as a run id: {ex.Message}");
        }

        var eventsDir = Path.Combine(root, "events");
        var matches = Directory.Exists(eventsDir)
            ? Directory.GetFiles(eventsDir, target + ".jsonl", SearchOption.AllDirectories)
            : [];
        if (matches.Length == 0)
        {
            throw new CliUserException(
                $"'{target}' is not a file, a directory or a run id with a log at {Path.Combine(eventsDir, "<yyyy-MM>", target + ".jsonl")}. " +
                "Check the id with 'reyn events list --json' (runId) or pass the file path.");
        }

        if (matches.Length == 1)
        {
            return matches[0];
        }

        throw new CliUserException($"Run id '{target}' matches {matches.Length} files ({string.Join(", ", matches)}); pass one of them.");
    }
}
