namespace Reyn.Index;

/// <summary>
/// ops_report: skills run, total executions, success rate, average cost and the highest-failure skill with its primary
/// cause over the last N days. Reads the index when the events source exists and the JSONL files otherwise; both paths
/// give the same numbers on the same data.
/// </summary>
public sealed class OpsReporter
{
    private readonly IIndexBackend _backend;
    private readonly string _rootDirectory;
    private readonly TimeProvider _timeProvider;
    private readonly string _source;

    /// <summary>Creates the reporter.</summary>
    public OpsReporter(IIndexBackend backend, string rootDirectory, TimeProvider? timeProvider = null, string source = EventIndexer.DefaultSource)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _backend = backend;
        _rootDirectory = rootDirectory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _source = source;
    }

    /// <summary>Builds the report for the last <paramref name="sinceDays"/> days from the index, or the JSONL files when no index exists.</summary>
    public async Task<OpsReport> CreateAsync(int sinceDays = 7, CancellationToken cancellationToken = default)
    {
        var history = await RunHistorySelector.SelectAsync(_backend, _rootDirectory, _source, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(history, sinceDays, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the report from a given history.</summary>
    public async Task<OpsReport> CreateAsync(IRunHistory history, int sinceDays = 7, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfLessThan(sinceDays, 1);
        var to = _timeProvider.GetUtcNow();
        var from = to.AddDays(-sinceDays);
        var runs = new List<RunSummary>();
        await foreach (var run in history.ReadRunsAsync(new IndexFilter { From = from, To = to }, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        return Compute(runs, from, to, sinceDays, history.Name);
    }

    /// <summary>Aggregates <paramref name="runs"/> (already limited to the period) into a report.</summary>
    public static OpsReport Compute(IEnumerable<RunSummary> runs, DateTimeOffset from, DateTimeOffset to, int sinceDays, string dataSource)
    {
        ArgumentNullException.ThrowIfNull(runs);

        // A fixed order makes floating-point sums identical whichever history produced the runs.
        var ordered = runs.OrderBy(r => r.Timestamp).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        var total = 0;
        var successes = 0;
        var withCost = 0;
        var cost = 0.0;
        var perSkill = new Dictionary<string, (int Runs, int Ok, int Failed, double Cost)>(StringComparer.Ordinal);
        foreach (var run in ordered)
        {
            total++;
            var entry = perSkill.GetValueOrDefault(run.Skill);
            entry.Runs++;
            if (run.Passed)
            {
                successes++;
                entry.Ok++;
            }
            else
            {
                entry.Failed++;
            }

            if (run.CostUsd is { } c)
            {
                withCost++;
                cost += c;
                entry.Cost += c;
            }

            perSkill[run.Skill] = entry;
        }

        var skills = perSkill.Select(p => new SkillOpsSummary(p.Key, p.Value.Runs, p.Value.Ok, p.Value.Failed, p.Value.Cost))
            .OrderByDescending(s => s.Runs).ThenBy(s => s.Skill, StringComparer.Ordinal).ToList();
        SkillFailureSummary? worst = null;
        var worstSkill = skills.Where(s => s.Failures > 0)
            .OrderByDescending(s => s.Failures).ThenByDescending(s => (double)s.Failures / s.Runs).ThenBy(s => s.Skill, StringComparer.Ordinal)
            .FirstOrDefault();
        if (worstSkill is not null)
        {
            var failures = ordered.Where(r => r.Skill == worstSkill.Skill && !r.Passed).ToList();
            var phase = MostCommon(failures.Select(r => r.FailedPhase));
            var error = MostCommon(failures.Where(r => phase is null || r.FailedPhase == phase).Select(r => r.FailureReason));
            worst = new SkillFailureSummary(worstSkill.Skill, worstSkill.Failures, worstSkill.Runs, phase, error);
        }

        return new OpsReport
        {
            From = from,
            To = to,
            SinceDays = sinceDays,
            DataSource = dataSource,
            SkillTypes = perSkill.Count,
            TotalRuns = total,
            SuccessfulRuns = successes,
            TotalCostUsd = cost,
            RunsWithCost = withCost,
            HighestFailure = worst,
            Skills = skills,
        };
    }

    private static string? MostCommon(IEnumerable<string?> values) => values
        .Where(v => !string.IsNullOrEmpty(v))
        .GroupBy(v => v!, StringComparer.Ordinal)
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Key)
        .FirstOrDefault();
}
