using Reyn.Index.Tests.Support;
using Reyn.Testing;
using Reyn.Testing.Events;

namespace Reyn.Index.Tests.Eval;

public sealed class EvalComparerTests
{
    private static readonly DateTimeOffset May1 = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string HashA = "abc12345" + new string('0', 56);
    private static readonly string HashB = "def67890" + new string('1', 56);
    private static readonly string HashC = "0123abcd" + new string('2', 56);

    private static IEnumerable<RunSummary> Version(string hash, int passed, int runs, DateTimeOffset first, string skill = "my_skill") =>
        Enumerable.Range(0, runs).Select(i => new RunSummary
        {
            RunId = $"{hash[..4]}-{i}",
            Skill = skill,
            VersionHash = hash,
            StartedAt = first.AddHours(i),
            Status = i < passed ? RunStatuses.Success : RunStatuses.Failed,
        });

    [Fact]
    public void Compare_SeedExample_ReportsPassRatesDeltaAndNoRegression()
    {
        var runs = Version(HashA, 36, 50, May1).Concat(Version(HashB, 44, 50, May1.AddDays(4)));

        var result = EvalComparer.Compare("my_skill", runs);

        result.Baseline.Should().Be(new VersionPassRate(HashA, 36, 50, May1, May1.AddHours(49)));
        result.Candidate.VersionHash.Should().Be(HashB);
        result.DeltaPercentagePoints.Should().BeApproximately(16, 1e-9);
        result.Test.Should().Be("z-test");
        result.Verdict.Should().Be(RegressionVerdict.None);
        result.PValue.Should().BeApproximately(0.97725, 1e-5);
        var text = result.ToText();
        text.Should().Contain("Baseline:  sha:abc12345  72% pass (36/50 runs)  2026-05-01 ~ 2026-05-03");
        text.Should().Contain("Candidate: sha:def67890  88% pass (44/50 runs)");
        text.Should().Contain("Delta: +16pp / regression: none (p=0.9772");
    }

    [Fact]
    public void Compare_SignificantDrop_IsARegressionWithItsPValue()
    {
        var runs = Version(HashA, 44, 50, May1).Concat(Version(HashB, 36, 50, May1.AddDays(4)));

        var result = EvalComparer.Compare("my_skill", runs);

        result.Verdict.Should().Be(RegressionVerdict.Regression);
        result.PValue.Should().BeApproximately(0.02275, 1e-5);
        result.ToText().Should().Contain("Delta: -16pp / regression: DETECTED (p=0.0228");
    }

    [Fact]
    public void Compare_SmallDropOnFewRuns_IsInconclusiveNotNone()
    {
        var runs = Version(HashA, 4, 5, May1).Concat(Version(HashB, 3, 5, May1.AddDays(4)));

        var result = EvalComparer.Compare("my_skill", runs);

        result.Test.Should().Be("fisher-exact");
        result.Verdict.Should().Be(RegressionVerdict.Inconclusive);
        result.PValue.Should().BeApproximately(0.5, 1e-12); // [[4,1],[3,2]]: P(X <= 3) = (1*5 + 15*5... ) = 126/252
        result.ToText().Should().Contain("regression: inconclusive").And.NotContain("regression: none");
    }

    [Fact]
    public void Compare_SmallButExtremeDrop_FisherDetectsRegression()
    {
        var runs = Version(HashA, 10, 10, May1).Concat(Version(HashB, 2, 10, May1.AddDays(4)));

        var result = EvalComparer.Compare("my_skill", runs);

        result.Test.Should().Be("fisher-exact");
        result.Verdict.Should().Be(RegressionVerdict.Regression);
        result.PValue.Should().BeLessThan(0.001);
    }

    [Fact]
    public void Compare_ThreeVersions_DefaultsToLatestVsPreviousAndHonoursOverrides()
    {
        var runs = Version(HashA, 9, 10, May1).Concat(Version(HashB, 5, 10, May1.AddDays(2))).Concat(Version(HashC, 8, 10, May1.AddDays(4))).ToList();

        var auto = EvalComparer.Compare("my_skill", runs);
        var manual = EvalComparer.Compare("my_skill", runs, baseline: "abc1", candidate: "sha:def6");

        auto.Versions.Select(v => v.VersionHash).Should().Equal(HashA, HashB, HashC);
        auto.Baseline.VersionHash.Should().Be(HashB);
        auto.Candidate.VersionHash.Should().Be(HashC);
        manual.Baseline.VersionHash.Should().Be(HashA);
        manual.Candidate.VersionHash.Should().Be(HashB);
    }

    [Fact]
    public void Compare_OneVersionOnly_ThrowsSayingTwoAreNeeded()
    {
        var act = () => EvalComparer.Compare("my_skill", Version(HashA, 5, 10, May1));

        act.Should().Throw<EvalCompareException>().WithMessage("*only one version*");
    }

    [Fact]
    public void Compare_UnknownSkillOrHash_ThrowsWithFix()
    {
        var runs = Version(HashA, 5, 10, May1).Concat(Version(HashB, 5, 10, May1.AddDays(1))).ToList();

        ((Action)(() => EvalComparer.Compare("nope", runs))).Should().Throw<EvalCompareException>().WithMessage("*No completed runs of skill 'nope'*");
        ((Action)(() => EvalComparer.Compare("my_skill", runs, baseline: "ffff"))).Should().Throw<EvalCompareException>().WithMessage("*--baseline 'ffff' matches no version*abc12345*");
    }

    [Fact]
    public async Task CompareAsync_FromJsonlAndFromIndex_GiveTheSameResult()
    {
        using var dir = new TempDirectory("reyn-eval");
        var log = new RunLogWriter(dir.Path);
        for (var i = 0; i < 12; i++)
        {
            log.Write(i % 4 == 0 ? Runs.Failure("a" + i, start: May1.AddHours(i), version: HashA) : Runs.Success("a" + i, start: May1.AddHours(i), version: HashA));
            log.Write(i % 2 == 0 ? Runs.Failure("b" + i, start: May1.AddDays(2).AddHours(i), version: HashB) : Runs.Success("b" + i, start: May1.AddDays(2).AddHours(i), version: HashB));
        }

        var backend = new SqliteIndexBackend(dir.Combine("index"));
        var fromFiles = await new EvalComparer(backend, dir.Path).CompareAsync("my_skill");
        await new EventIndexer(backend, dir.Path).IndexAsync();
        var fromIndex = await new EvalComparer(backend, dir.Path).CompareAsync("my_skill");

        fromFiles.DataSource.Should().Be("events");
        fromIndex.DataSource.Should().Be("index");
        fromIndex.Should().BeEquivalentTo(fromFiles, o => o.Excluding(r => r.DataSource));
        fromIndex.Baseline.Should().Be(new VersionPassRate(HashA, 9, 12, May1, May1.AddHours(11)));
        fromIndex.Candidate.Passed.Should().Be(6);
    }
}
