using System.Globalization;
using System.Text;

namespace Reyn.Index;

/// <summary>The operational summary of a period (ops_report).</summary>
public sealed record OpsReport
{
    /// <summary>Start of the period (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the period (exclusive): the report time.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Length of the period in days.</summary>
    public required int SinceDays { get; init; }

    /// <summary>Where the runs came from: <c>index</c> or <c>events</c> (JSONL fallback).</summary>
    public required string DataSource { get; init; }

    /// <summary>Distinct skills run.</summary>
    public int SkillTypes { get; init; }

    /// <summary>Runs in the period.</summary>
    public int TotalRuns { get; init; }

    /// <summary>Successful runs.</summary>
    public int SuccessfulRuns { get; init; }

    /// <summary>Successful / total, or null with no runs.</summary>
    public double? SuccessRate => TotalRuns == 0 ? null : (double)SuccessfulRuns / TotalRuns;

    /// <summary>Sum of known run costs.</summary>
    public double TotalCostUsd { get; init; }

    /// <summary>Runs that reported a cost.</summary>
    public int RunsWithCost { get; init; }

    /// <summary>Average cost per run over runs that reported one, or null.</summary>
    public double? AverageCostUsd => RunsWithCost == 0 ? null : TotalCostUsd / RunsWithCost;

    /// <summary>The skill with the most failures, or null when nothing failed.</summary>
    public SkillFailureSummary? HighestFailure { get; init; }

    /// <summary>Per-skill counts, by runs descending then name.</summary>
    public IReadOnlyList<SkillOpsSummary> Skills { get; init; } = [];

    /// <summary>The human-readable report, as in the operational-intelligence seed.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (SinceDays == 7)
        {
            var week = ISOWeek.GetWeekOfYear(To.UtcDateTime);
            sb.Append(inv, $"[Weekly ops report {ISOWeek.GetYear(To.UtcDateTime)}-W{week:00}]\n");
        }
        else
        {
            sb.Append(inv, $"[Ops report: last {SinceDays} days, {From.UtcDateTime:yyyy-MM-dd} ~ {To.UtcDateTime:yyyy-MM-dd}]\n");
        }

        sb.Append(inv, $"Skills run: {SkillTypes} types, {TotalRuns} total executions\n");
        sb.Append("Success rate: ").Append(SuccessRate is { } rate ? (rate * 100).ToString("0.0", inv) + "%" : "n/a")
            .Append(inv, $" ({SuccessfulRuns}/{TotalRuns})\n");
        // Cents, as the seed's report shows them; a sub-cent average (cheap models) to four decimals instead of $0.00.
        sb.Append("Average cost: ").Append(AverageCostUsd is { } cost ? "$" + cost.ToString(cost >= 0.01 ? "0.00" : "0.00##", inv) + " / run" : "n/a").Append('\n');
        if (HighestFailure is { } worst)
        {
            sb.Append(inv, $"Highest-failure skill: {worst.Skill} ({worst.Failures}/{worst.Runs} failures)\n");
            sb.Append("  → Primary cause: ").Append(worst.PrimaryCause).Append('\n');
        }
        else
        {
            sb.Append("Highest-failure skill: none (no failures)\n");
        }

        sb.Append("(source: ").Append(DataSource == "index" ? "index" : "events JSONL, index not built").Append(')');
        return sb.ToString();
    }
}
