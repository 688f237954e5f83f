using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Index;

namespace Reyn.Cli.Commands;

/// <summary><c>reyn ops report [--since-days N] [--json]</c>: the operational summary of the last N days.</summary>
internal static class OpsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("ops", "Operational summaries of run history.");
        var report = new Command("report", "Skills run, executions, success rate, average cost and the highest-failure skill (index when built, else the JSONL files).");
        var sinceDays = new Option<int>("--since-days") { Description = "Days to cover, ending now. Default 7.", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (\"version\": 1)." };
        report.Options.Add(sinceDays);
        report.Options.Add(json);
        report.SetAction((parseResult, cancellationToken) => IndexCliSupport.GuardAsync(context, async () =>
        {
            var root = context.ResolveRoot(parseResult);
            var days = parseResult.GetValue(sinceDays);
            if (days < 1)
            {
                throw new CliUserException($"--since-days must be at least 1; got {days}.");
            }

            var result = await new OpsReporter(IndexCliSupport.Backend(root), root).CreateAsync(days, cancellationToken).ConfigureAwait(false);
            if (!parseResult.GetValue(json))
            {
                await context.Out.WriteLineAsync(result.ToText()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            JsonOutput.Write(context.Out, w =>
            {
                IndexCliSupport.WriteTime(w, "from", result.From);
                IndexCliSupport.WriteTime(w, "to", result.To);
                w.WriteNumber("sinceDays", result.SinceDays);
                w.WriteString("dataSource", result.DataSource);
                w.WriteNumber("skillTypes", result.SkillTypes);
                w.WriteNumber("totalRuns", result.TotalRuns);
                w.WriteNumber("successfulRuns", result.SuccessfulRuns);
                IndexCliSupport.WriteNumber(w, "successRate", result.SuccessRate);
                IndexCliSupport.WriteNumber(w, "averageCostUsd", result.AverageCostUsd);
                w.WriteNumber("totalCostUsd", result.TotalCostUsd);
                if (result.HighestFailure is { } worst)
                {
                    w.WriteStartObject("highestFailure");
                    w.WriteString("skill", worst.Skill);
                    w.WriteNumber("failures", worst.Failures);
                    w.WriteNumber("runs", worst.Runs);
                    w.WriteString("primaryPhase", worst.PrimaryPhase);
                    w.WriteString("primaryError", worst.PrimaryError);
                    w.WriteString("primaryCause", worst.PrimaryCause);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("highestFailure");
                }

                w.WriteStartArray("skills");
                foreach (var skill in result.Skills)
                {
                    w.WriteStartObject();
                    w.WriteString("skill", skill.Skill);
                    w.WriteNumber("runs", skill.Runs);
                    w.WriteNumber("successes", skill.Successes);
                    w.WriteNumber("failures", skill.Failures);
                    w.WriteNumber("totalCostUsd", skill.TotalCostUsd);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(report);
        return command;
    }
}
