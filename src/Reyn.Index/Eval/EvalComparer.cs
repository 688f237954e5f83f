namespace Reyn.Index;

/// <summary>
/// eval compare: groups a skill's completed runs by <c>skill_version_hash</c>, computes each version's pass rate and
/// tests whether the candidate (default: latest version) is worse than the baseline (default: the version before) with
/// a one-sided two-proportion z-test, or Fisher's exact test when any expected count is below 5.
/// </summary>
public sealed class EvalComparer
{
    private readonly IIndexBackend _backend;
    private readonly string _rootDirectory;
    private readonly string _source;

    /// <summary>Creates the comparer (index when present, JSONL files otherwise).</summary>
    public EvalComparer(IIndexBackend backend, string rootDirectory, string source = EventIndexer.DefaultSource)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _backend = backend;
        _rootDirectory = rootDirectory;
        _source = source;
    }

    /// <summary>Compares versions of <paramref name="skill"/>.</summary>
    /// <param name="skill">The skill name.</param>
    /// <param name="baseline">A version hash or unique prefix; null for the version before the candidate.</param>
    /// <param name="candidate">A version hash or unique prefix; null for the latest version.</param>
    /// <param name="alpha">Significance level (default 0.05).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EvalCompareException">No runs, fewer than two versions, or an unknown/ambiguous hash.</exception>
    public async Task<EvalComparison> CompareAsync(string skill, string? baseline = null, string? candidate = null, double alpha = 0.05, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(skill);
        var history = await RunHistorySelector.SelectAsync(_backend, _rootDirectory, _source, cancellationToken).ConfigureAwait(false);
        var runs = new List<RunSummary>();
        await foreach (var run in history.ReadRunsAsync(new IndexFilter { Skill = skill }, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        return Compare(skill, runs, baseline, candidate, alpha) with { DataSource = history.Name };
    }

    /// <summary>Compares versions from runs already loaded.</summary>
    /// <exception cref="EvalCompareException">No runs, fewer than two versions, or an unknown/ambiguous hash.</exception>
    public static EvalComparison Compare(string skill, IEnumerable<RunSummary> runs, string? baseline = null, string? candidate = null, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1);
        var all = runs.Where(r => r.Skill == skill).ToList();
        if (all.Count == 0)
        {
            throw new EvalCompareException($"No completed runs of skill '{skill}' were found. Check the skill name, or run 'reyn index events' if the index is stale.");
        }

        var versioned = all.Where(r => !string.IsNullOrEmpty(r.VersionHash) && r.VersionHash != "unknown" && r.Timestamp is not null).ToList();
        var versions = versioned
            .GroupBy(r => r.VersionHash, StringComparer.Ordinal)
            .Select(g => new VersionPassRate(g.Key, g.Count(r => r.Passed), g.Count(), g.Min(r => r.Timestamp!.Value), g.Max(r => r.Timestamp!.Value)))
            .OrderBy(v => v.First).ThenBy(v => v.VersionHash, StringComparer.Ordinal)
            .ToList();
        if (versions.Count == 0)
        {
            throw new EvalCompareException($"None of the {all.Count} runs of '{skill}' carries a skill_version_hash, so versions cannot be compared.");
        }

        var cand = candidate is null ? versions[^1] : Find(versions, candidate, "--candidate", skill);
        VersionPassRate? base_;
        if (baseline is not null)
        {
            base_ = Find(versions, baseline, "--baseline", skill);
        }
        else
        {
            var index = versions.IndexOf(cand);
            base_ = index > 0 ? versions[index - 1] : versions.FirstOrDefault(v => v != cand);
        }

        if (base_ is null || base_.VersionHash == cand.VersionHash)
        {
            throw new EvalCompareException(
                $"Skill '{skill}' has only one version ({cand.ShortHash}, {cand.Runs} runs) to compare; a comparison needs two. " +
                "Run the changed skill, or pass --baseline and --candidate with two different hashes.");
        }

        double p;
        double? z = null;
        string test;
        if (ProportionTests.IsSmallSample(base_.Passed, base_.Runs, cand.Passed, cand.Runs))
        {
            test = "fisher-exact";
            p = ProportionTests.FisherExactLowerTail(base_.Passed, base_.Runs, cand.Passed, cand.Runs);
        }
        else
        {
            test = "z-test";
            (var zz, p) = ProportionTests.TwoProportionZTest(base_.Passed, base_.Runs, cand.Passed, cand.Runs);
            z = zz;
        }

        var verdict = p < alpha ? RegressionVerdict.Regression
            : cand.PassRate >= base_.PassRate ? RegressionVerdict.None
            : RegressionVerdict.Inconclusive;
        return new EvalComparison
        {
            Skill = skill,
            Versions = versions,
            Baseline = base_,
            Candidate = cand,
            Test = test,
            Z = z,
            PValue = p,
            Alpha = alpha,
            Verdict = verdict,
            RunsWithoutVersion = all.Count - versioned.Count,
        };
    }

    private static VersionPassRate Find(List<VersionPassRate> versions, string hash, string option, string skill)
    {
        var matches = versions.Where(v => v.VersionHash.StartsWith(hash.Trim().Replace("sha:", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EvalCompareException(
                $"{option} '{hash}' matches no version of '{skill}'. Known versions: {string.Join(", ", versions.Select(v => v.ShortHash))}."),
            _ => throw new EvalCompareException(
                $"{option} '{hash}' is ambiguous: it matches {string.Join(", ", matches.Select(v => v.ShortHash))}. Give more characters."),
        };
    }
}
