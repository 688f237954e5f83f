using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Index;

namespace Reyn.Cli.Commands;

/// <summary><c>reyn recall "&lt;query&gt;" [--source events] [--top-k 10] [--json]</c>: search indexed history by meaning.</summary>
internal static class RecallCommand
{
    public static Command Create(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What to look for, e.g. \"failures in the verify phase of my_skill\"." };
        var sources = new Option<string[]>("--source") { Description = "Index source to search (repeatable). Default: events.", DefaultValueFactory = _ => ["events"] };
        var topK = new Option<int>("--top-k") { Description = $"How many hits to return (1-{RecallRequest.MaxTopK}). Default 10.", DefaultValueFactory = _ => 10 };
        var skill = new Option<string?>("--skill") { Description = "Only runs of this skill." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status (success, failed, aborted)." };
        var since = new Option<string?>("--since") { Description = "Only runs that started at or after this ISO-8601 time." };
        var json = new Option<bool>("--json") { Description = "Print the hits as JSON (\"version\": 1)." };
        var command = new Command("recall", "Search indexed sources (BM25, hybrid with vectors when indexed with an embedding generator).");
        command.Arguments.Add(query);
        command.Options.Add(sources);
        command.Options.Add(topK);
        command.Options.Add(skill);
        command.Options.Add(status);
        command.Options.Add(since);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => IndexCliSupport.GuardAsync(context, async () =>
        {
            var root = context.ResolveRoot(parseResult);
            var request = new RecallRequest
            {
                Query = parseResult.GetValue(query) ?? "",
                Sources = parseResult.GetValue(sources) ?? [],
                TopK = parseResult.GetValue(topK),
                Filter = new IndexFilter
                {
                    Skill = parseResult.GetValue(skill),
                    Status = parseResult.GetValue(status),
                    From = IndexCliSupport.ParseTime(parseResult.GetValue(since), "--since"),
                },
            };
            var result = await new Recall(IndexCliSupport.Backend(root)).RecallAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                throw new CliUserException($"{error.Message} ({error.Code})");
            }

            foreach (var warning in result.Warnings)
            {
                await context.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteString("query", request.Query);
                    w.WriteString("mode", result.Mode);
                    w.WriteStartArray("warnings");
                    foreach (var warning in result.Warnings)
                    {
                        w.WriteStringValue(warning);
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("hits");
                    foreach (var hit in result.Hits)
                    {
                        w.WriteStartObject();
                        w.WriteString("source", hit.Source);
                        w.WriteString("id", hit.Id);
                        w.WriteString("sourcePath", hit.SourcePath);
                        w.WriteNumber("score", hit.Score);
                        w.WriteString("skill", hit.Metadata.Skill);
                        w.WriteString("status", hit.Metadata.Status);
                        w.WriteString("versionHash", hit.Metadata.VersionHash);
                        IndexCliSupport.WriteTime(w, "timestamp", hit.Metadata.Timestamp);
                        w.WriteString("text", hit.Text);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            if (result.Hits.Count == 0)
            {
                await context.Out.WriteLineAsync("No matches.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            for (var i = 0; i < result.Hits.Count; i++)
            {
                var hit = result.Hits[i];
                await context.Out.WriteLineAsync($"{i + 1}. [{hit.Source}] {hit.Id}  (score {hit.Score:0.####}, {result.Mode})").ConfigureAwait(false);
                foreach (var line in hit.Text.Split('\n'))
                {
                    await context.Out.WriteLineAsync("   " + line).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
