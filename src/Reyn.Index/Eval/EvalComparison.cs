using System.Globalization;
using System.Text;

namespace Reyn.Index;

/// <summary>The result of eval compare: per-version pass rates, baseline vs candidate, delta and regression verdict.</summary>
public sealed record EvalComparison
{
    /// <summary>The skill.</summary>
    public required string Skill { get; init; }

    /// <summary>Every version seen, oldest first.</summary>
    public required IReadOnlyList<VersionPassRate> Versions { get; init; }

    /// <summary>The baseline (default: the version before the latest).</summary>
    public required VersionPassRate Baseline { get; init; }

    /// <summary>The candidate (default: the latest version).</summary>
    public required VersionPassRate Candidate { get; init; }

    /// <summary>Candidate minus baseline pass rate, in percentage points.</summary>
    public double DeltaPercentagePoints => (Candidate.PassRate - Baseline.PassRate) * 100;

    /// <summary><c>z-test</c> (one-sided pooled two-proportion) or <c>fisher-exact</c> (one-sided, small counts).</summary>
    public required string Test { get; init; }

    /// <summary>The z statistic (z-test only).</summary>
    public double? Z { get; init; }

    /// <summary>The one-sided p-value of "candidate &lt; baseline".</summary>
    public required double PValue { get; init; }

    /// <summary>The significance level.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The verdict.</summary>
    public required RegressionVerdict Verdict { get; init; }

    /// <summary>Completed runs without a version hash (not compared).</summary>
    public int RunsWithoutVersion { get; init; }

    /// <summary>Where the runs came from: <c>index</c> or <c>events</c>.</summary>
    public string DataSource { get; init; } = "events";

    /// <summary>The human-readable comparison, as in the operational-intelligence seed.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"eval compare: {Skill} ({Versions.Count} versions, source: {DataSource})\n");
        Line(sb, "Baseline: ", Baseline);
        Line(sb, "Candidate:", Candidate);
        var delta = Math.Round(DeltaPercentagePoints, 1);
        var verdict = Verdict switch
        {
            RegressionVerdict.Regression => "DETECTED",
            RegressionVerdict.Inconclusive => "inconclusive (lower, but not significant)",
            _ => "none",
        };
        sb.Append("Delta: ").Append(delta >= 0 ? "+" : "").Append(delta.ToString("0.#", inv)).Append("pp / regression: ").Append(verdict)
            .Append(inv, $" (p={PValue:0.0000}, one-sided {(Test == "z-test" ? "two-proportion z-test" : "Fisher's exact test")}, α={Alpha:0.##})");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string label, VersionPassRate v)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{label} sha:{v.ShortHash}  {(v.PassRate * 100).ToString("0.#", inv)}% pass ({v.Passed}/{v.Runs} runs)  {v.First.UtcDateTime:yyyy-MM-dd} ~ {v.Last.UtcDateTime:yyyy-MM-dd}\n");
    }
}
