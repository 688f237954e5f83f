using Reyn.Index.Tests.Support;
using Reyn.Testing;
using Reyn.Testing.Events;

namespace Reyn.Index.Tests.Reports;

public sealed class OpsReporterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("reyn-ops");
    private readonly RunLogWriter _log;
    private readonly SqliteIndexBackend _backend;

    public OpsReporterTests()
    {
        _log = new RunLogWriter(_dir.Path);
        _backend = new SqliteIndexBackend(_dir.Combine("index"));
    }

    public void Dispose() => _dir.Dispose();

    private OpsReporter NewReporter() => new(_backend, _dir.Path, new ManualTimeProvider(Now));

    private void WriteWeek()
    {
        var start = Now.AddDays(-6);
        var n = 0;
        foreach (var skill in new[] { "my_skill", "docs_skill", "triage" })
        {
            for (var i = 0; i < 4; i++)
            {
                _log.Write(Runs.Success($"{skill}-{n++}", skill: skill, start: start.AddHours(n)) with { CostPerPhase = 0.01 * (i + 1) });
            }
        }

        _log.Write(Runs.Failure("sw-1", skill: "swe_bench", phase: "verify", error: "test execution timeout", start: start.AddHours(30)));
        _log.Write(Runs.Failure("sw-2", skill: "swe_bench", phase: "verify", error: "test execution timeout", start: start.AddHours(31)));
        _log.Write(Runs.Failure("sw-3", skill: "swe_bench", phase: "apply", error: "patch did not apply", start: start.AddHours(32)));
        _log.Write(Runs.Success("sw-4", skill: "swe_bench", start: start.AddHours(33)));
        _log.Write(Runs.Failure("tr-x", skill: "triage", phase: "plan", error: "no plan", start: start.AddHours(34)));
        _log.Write(Runs.Success("old", skill: "ancient", start: Now.AddDays(-20)));
        _log.Write(Runs.Success("open", skill: "my_skill", start: Now.AddHours(-1)) with { Unfinished = true });
    }

    [Fact]
    public async Task CreateAsync_IndexAndJsonlFallback_GiveIdenticalNumbers()
    {
        WriteWeek();

        var fromFiles = await NewReporter().CreateAsync(7);
        await new EventIndexer(_backend, _dir.Path).IndexAsync();
        var fromIndex = await NewReporter().CreateAsync(7);

        fromFiles.DataSource.Should().Be("events");
        fromIndex.DataSource.Should().Be("index");
        fromIndex.Should().BeEquivalentTo(fromFiles, o => o.Excluding(r => r.DataSource));
        fromIndex.ToText().Replace("(source: index)", "").Should().Be(fromFiles.ToText().Replace("(source: events JSONL, index not built)", ""));
    }

    [Fact]
    public async Task CreateAsync_Week_CountsRunsRatesCostAndHighestFailureWithPrimaryCause()
    {
        WriteWeek();

        var report = await NewReporter().CreateAsync(7);

        report.SkillTypes.Should().Be(4);
        report.TotalRuns.Should().Be(17);
        report.SuccessfulRuns.Should().Be(13);
        report.SuccessRate.Should().BeApproximately(13.0 / 17, 1e-12);
        report.HighestFailure.Should().Be(new SkillFailureSummary("swe_bench", 3, 4, "verify", "test execution timeout"));
        report.ToText().Should().Be(string.Join('\n',
            "[Weekly ops report 2026-W20]",
            "Skills run: 4 types, 17 total executions",
            "Success rate: 76.5% (13/17)",
            "Average cost: $0.11 / run",
            "Highest-failure skill: swe_bench (3/4 failures)",
            "  → Primary cause: test execution timeout in verify phase",
            "(source: events JSONL, index not built)"));
    }

    [Fact]
    public async Task CreateAsync_NoEvents_ReportsZeroRunsWithoutFailing()
    {
        var report = await NewReporter().CreateAsync(7);

        report.TotalRuns.Should().Be(0);
        report.SuccessRate.Should().BeNull();
        report.HighestFailure.Should().BeNull();
        report.ToText().Should().Contain("Success rate: n/a (0/0)");
    }

    [Fact]
    public void Compute_CostAverage_IsOverRunsThatReportedCost()
    {
        var runs = new[]
        {
            new RunSummary { RunId = "1", Skill = "s", StartedAt = Now, CostUsd = 0.1 },
            new RunSummary { RunId = "2", Skill = "s", StartedAt = Now, CostUsd = 0.3 },
            new RunSummary { RunId = "3", Skill = "s", StartedAt = Now },
        };

        var report = OpsReporter.Compute(runs, Now.AddDays(-7), Now, 7, "events");

        report.AverageCostUsd.Should().BeApproximately(0.2, 1e-12);
        report.TotalRuns.Should().Be(3);
    }

    [Theory]
    [InlineData(0.21, "$0.21 / run")]
    [InlineData(0.1094, "$0.11 / run")]
    [InlineData(0.0002727, "$0.0003 / run")]
    [InlineData(0.000001, "$0.00 / run")]
    public void ToText_AverageCost_ShowsCentsOrASubCentCostToFourDecimals(double cost, string expected)
    {
        var runs = new[] { new RunSummary { RunId = "1", Skill = "s", StartedAt = Now, CostUsd = cost } };

        var report = OpsReporter.Compute(runs, Now.AddDays(-7), Now, 7, "events");

        report.ToText().Should().Contain("Average cost: " + expected + "\n");
    }
}
