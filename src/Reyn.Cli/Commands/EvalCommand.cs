using System.CommandLine;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Index;

namespace Reyn.Cli.Commands;

/// <summary>
/// <c>reyn eval compare &lt;skill&gt; [--baseline sha] [--candidate sha] [--json]</c>: pass rates per skill version and a
/// regression verdict. Exit 1 when a regression is detected, 2 on bad input or too little data.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("eval", "Evaluate skill versions from run history.");
        var compare = new Command("compare", "Compare pass rates of two versions (skill_version_hash) of a skill: delta in pp and a one-sided significance test at 5%.");
        var skill = new Argument<string>("skill") { Description = "The skill name." };
        var baseline = new Option<string?>("--baseline") { Description = "Baseline version hash or unique prefix. Default: the version before the candidate." };
        var candidate = new Option<string?>("--candidate") { Description = "Candidate version hash or unique prefix. Default: the latest version." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON (\"version\": 1)." };
        compare.Arguments.Add(skill);
        compare.Options.Add(baseline);
        compare.Options.Add(candidate);
        compare.Options.Add(json);
        compare.SetAction((parseResult, cancellationToken) => IndexCliSupport.GuardAsync(context, async () =>
        {
            var root = context.ResolveRoot(parseResult);
            var result = await new EvalComparer(IndexCliSupport.Backend(root), root)
                .CompareAsync(parseResult.GetValue(skill)!, parseResult.GetValue(baseline), parseResult.GetValue(candidate), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteString("skill", result.Skill);
                    w.WriteString("dataSource", result.DataSource);
                    WriteVersion(w, "baseline", result.Baseline);
                    WriteVersion(w, "candidate", result.Candidate);
                    w.WriteNumber("deltaPp", Math.Round(result.DeltaPercentagePoints, 4));
                    w.WriteString("test", result.Test);
                    IndexCliSupport.WriteNumber(w, "z", result.Z);
                    w.WriteNumber("pValue", result.PValue);
                    w.WriteNumber("alpha", result.Alpha);
                    w.WriteString("regression", result.Verdict switch
                    {
                        RegressionVerdict.Regression => "detected",
                        RegressionVerdict.Inconclusive => "inconclusive",
                        _ => "none",
                    });
                    w.WriteNumber("runsWithoutVersion", result.RunsWithoutVersion);
                    w.WriteStartArray("versions");
                    foreach (var version in result.Versions)
                    {
                        WriteVersion(w, null, version);
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                await context.Out.WriteLineAsync(result.ToText()).ConfigureAwait(false);
            }

            return result.Verdict == RegressionVerdict.Regression ? ExitCodes.Failure : ExitCodes.Success;
        }));
        command.Subcommands.Add(compare);
        return command;
    }

    private static void WriteVersion(Utf8JsonWriter w, string? name, VersionPassRate v)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }

        w.WriteString("hash", v.VersionHash);
        w.WriteNumber("passed", v.Passed);
        w.WriteNumber("runs", v.Runs);
        w.WriteNumber("passRate", v.PassRate);
        IndexCliSupport.WriteTime(w, "first", v.First);
        IndexCliSupport.WriteTime(w, "last", v.Last);
        w.WriteEndObject();
    }
}
