using System.Text;
using Reyn.Runtime;

namespace Reyn.Samples.Quickstart;

/// <summary>The sample skill: find problem lines in logs/, let the model classify them, write and verify a report.</summary>
internal static class TriageSkill
{
    public sealed record Match(string Path, int Line, string Text);

    public sealed record Findings(int FilesSearched, List<Match> Matches);

    public sealed record Category(string Name, string Severity, int Count, string Example);

    public sealed record Classification(List<Category> Categories, string Summary);

    public static SkillDefinition Create() => Skill.Create("triage_logs")
        .Describe("Triage a folder of log files and write a report")
        .Instructions("You are an on-call engineer. Classify log lines into categories (disk, database, timeout, auth, other) with a severity.")
        .Permissions(p => p.AllowOps("grep", "read_file", "write_file").Read("logs/**").Write("report/**"))
        .Phase("explore", Explore, maxVisits: 1)
        .Phase("classify", Classify, maxVisits: 1)
        .Phase("write_report", WriteReport, maxVisits: 2)
        .Phase("verify", Verify, maxVisits: 2)
        .EntryPhase("explore")
        .Build();

    private static async Task<PhaseResult> Explore(PhaseContext ctx)
    {
        var result = await ctx.CallOpAsync("grep", new { pattern = "ERROR|WARN", path = "logs", glob = "*.log", max_results = 500 });
        var findings = result.GetData<Findings>();
        return findings.Matches.Count == 0
            ? PhaseResult.Finish(new { report = (string?)null, summary = "No problems found." })
            : PhaseResult.Next("classify", findings);
    }

    private static async Task<PhaseResult> Classify(PhaseContext ctx)
    {
        var findings = ctx.InputAs<Findings>();
        var prompt = new StringBuilder("Classify these log lines:\n");
        foreach (var match in findings.Matches)
        {
            prompt.Append("- ").Append(match.Path).Append(':').Append(match.Line).Append(": ").Append(match.Text).Append('\n');
        }

        var classification = await ctx.AskAsync<Classification>(
            prompt.ToString(),
            c => c.Categories.Count == 0 ? "list at least one category" : null);
        return PhaseResult.Next("write_report", classification);
    }

    private static async Task<PhaseResult> WriteReport(PhaseContext ctx)
    {
        var classification = ctx.InputAs<Classification>();
        var report = new StringBuilder("# Log triage\n\n").Append(classification.Summary).Append("\n\n| category | severity | lines | example |\n|---|---|---|---|\n");
        foreach (var c in classification.Categories)
        {
            report.Append($"| {c.Name} | {c.Severity} | {c.Count} | `{c.Example.Replace("|", "\\|", StringComparison.Ordinal)}` |\n");
        }

        var written = await ctx.CallOpAsync("write_file", new { path = "report/triage.md", content = report.ToString() });
        if (!written.IsOk)
        {
            return PhaseResult.Abort($"Could not write the report: {written.Error!.Message}");
        }

        return PhaseResult.Next("verify", classification);
    }

    private static async Task<PhaseResult> Verify(PhaseContext ctx)
    {
        var read = await ctx.CallOpAsync("read_file", new { path = "report/triage.md" });
        var content = read.IsOk ? read.Data!.Value.GetProperty("content").GetString() ?? string.Empty : string.Empty;
        return content.StartsWith("# Log triage", StringComparison.Ordinal)
            ? PhaseResult.Finish(new { report = "report/triage.md", classification = ctx.InputAs<Classification>() })
            : PhaseResult.Next("write_report", ctx.Input);
    }
}
