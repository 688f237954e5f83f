using System.Text.Json;
using Reyn.Testing;
using Reyn.Testing.Events;

namespace Reyn.Cli.Tests.Index;

public sealed class IndexCommandsTests : IDisposable
{
    private static readonly string HashA = "abc12345" + new string('0', 56);
    private static readonly string HashB = "def67890" + new string('1', 56);
    private readonly TempDirectory _dir = new("reyn-cli-index");
    private readonly RunLogWriter _log;
    private readonly DateTimeOffset _recent = new(DateTimeOffset.UtcNow.AddDays(-2).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public IndexCommandsTests() => _log = new RunLogWriter(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ReynCli.RunAsync([.. args, "--root", _dir.Path], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement Json(string text)
    {
        var root = JsonDocument.Parse(text).RootElement;
        root.GetProperty("version").GetInt32().Should().Be(1);
        return root;
    }

    private RunScript Ok(string id, int hour, string skill = "my_skill", string? version = null) =>
        new() { RunId = id, Skill = skill, Start = _recent.AddHours(hour), VersionHash = version ?? HashA };

    private RunScript Bad(string id, int hour, string skill = "my_skill", string? version = null) =>
        Ok(id, hour, skill, version) with { Status = "failed", FailingPhase = "verify", Error = "test execution timeout" };

    [Fact]
    public async Task IndexEvents_Json_ReportsNewSkippedFilteredAndCursorThenNothingNew()
    {
        _log.Write(Ok("a", 0));
        _log.Write(Bad("b", 1));
        _log.Write(Ok("c", 2) with { Unfinished = true });

        var first = await RunAsync("index", "events", "--json");
        var second = await RunAsync("index", "events", "--json");

        first.Code.Should().Be(0, first.Err);
        var json = Json(first.Out);
        json.GetProperty("indexedRuns").GetInt32().Should().Be(2);
        json.GetProperty("skippedRuns").GetInt32().Should().Be(1);
        json.GetProperty("filteredRuns").GetInt32().Should().Be(0);
        json.GetProperty("cursor").GetDateTimeOffset().Should().Be(_recent.AddHours(1).AddSeconds(43));
        File.Exists(Path.Combine(_dir.Path, "index", "events", "index.db")).Should().BeTrue();
        Json(second.Out).GetProperty("indexedRuns").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task IndexEvents_ReplaceText_RebuildsAndPrintsSummary()
    {
        _log.Write(Ok("a", 0));
        await RunAsync("index", "events");

        var (code, output, _) = await RunAsync("index", "events", "--mode", "replace");

        code.Should().Be(0);
        output.Should().Contain("Indexed 1 run(s)").And.Contain("Cursor: ");
    }

    [Theory]
    [InlineData("--since", "last week", "--since 'last week' is not an ISO-8601 time")]
    [InlineData("--mode", "merge", "--mode 'merge' is not valid")]
    public async Task IndexEvents_BadFlag_ExitsTwoWithFix(string flag, string value, string message)
    {
        var (code, output, error) = await RunAsync("index", "events", flag, value);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Recall_AfterIndexing_FindsTheFailedRunFirst()
    {
        _log.Write(Ok("a", 0));
        _log.Write(Bad("b", 1));
        _log.Write(Ok("c", 2, skill: "other"));
        await RunAsync("index", "events");

        var json = await RunAsync("recall", "failures in the verify phase of my_skill", "--top-k", "2", "--json");
        var text = await RunAsync("recall", "verify timeout", "--source", "events", "--status", "failed");

        json.Code.Should().Be(0, json.Err);
        var hits = Json(json.Out).GetProperty("hits");
        hits.GetArrayLength().Should().Be(2);
        hits[0].GetProperty("id").GetString().Should().Be("b");
        hits[0].GetProperty("status").GetString().Should().Be("failed");
        hits[0].GetProperty("text").GetString().Should().Contain("failed_phase: verify");
        text.Code.Should().Be(0);
        text.Out.Should().StartWith("1. [events] b").And.Contain("   failure: test execution timeout in verify phase").And.NotContain("[events] a");
    }

    [Fact]
    public async Task Recall_NothingIndexed_WarnsAndExitsZero()
    {
        var (code, output, error) = await RunAsync("recall", "anything");

        code.Should().Be(0);
        output.Should().Contain("No matches.");
        error.Should().Contain("reyn index events");
    }

    [Theory]
    [InlineData("--top-k", "0", "top_k")]
    [InlineData("--source", "../x", "not a valid index source")]
    public async Task Recall_InvalidArguments_ExitTwoWithStructuredMessage(string flag, string value, string message)
    {
        var (code, _, error) = await RunAsync("recall", "query", flag, value);

        code.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task OpsReport_JsonlFallbackAndIndex_PrintTheSameNumbers()
    {
        _log.Write(Ok("a", 0));
        _log.Write(Bad("b", 1, skill: "swe_bench"));
        _log.Write(Bad("c", 2, skill: "swe_bench"));
        _log.Write(Ok("d", 3, skill: "swe_bench"));

        var fallback = await RunAsync("ops", "report", "--json");
        await RunAsync("index", "events");
        var indexed = await RunAsync("ops", "report", "--json");
        var text = await RunAsync("ops", "report");

        fallback.Code.Should().Be(0, fallback.Err);
        var a = Json(fallback.Out);
        var b = Json(indexed.Out);
        a.GetProperty("dataSource").GetString().Should().Be("events");
        b.GetProperty("dataSource").GetString().Should().Be("index");
        foreach (var field in new[] { "skillTypes", "totalRuns", "successfulRuns", "successRate", "averageCostUsd", "totalCostUsd" })
        {
            b.GetProperty(field).GetRawText().Should().Be(a.GetProperty(field).GetRawText(), field);
        }

        a.GetProperty("totalRuns").GetInt32().Should().Be(4);
        a.GetProperty("highestFailure").GetProperty("skill").GetString().Should().Be("swe_bench");
        b.GetProperty("highestFailure").GetProperty("primaryCause").GetString().Should().Be("test execution timeout in verify phase");
        text.Out.Should().Contain("[Weekly ops report").And.Contain("Skills run: 2 types, 4 total executions").And.Contain("Success rate: 50.0% (2/4)")
            .And.Contain("Highest-failure skill: swe_bench (2/3 failures)").And.Contain("→ Primary cause: test execution timeout in verify phase");
    }

    [Fact]
    public async Task OpsReport_SinceDaysZero_ExitsTwo()
    {
        var (code, _, error) = await RunAsync("ops", "report", "--since-days", "0");

        code.Should().Be(2);
        error.Should().Contain("--since-days must be at least 1");
    }

    [Fact]
    public async Task EvalCompare_SignificantDrop_ExitsOneWithRegressionDetected()
    {
        for (var i = 0; i < 20; i++)
        {
            _log.Write(i < 19 ? Ok("a" + i, i, version: HashA) : Bad("a" + i, i, version: HashA));
            _log.Write(i < 8 ? Ok("b" + i, 30 + i, version: HashB) : Bad("b" + i, 30 + i, version: HashB));
        }

        var json = await RunAsync("eval", "compare", "my_skill", "--json");
        var text = await RunAsync("eval", "compare", "my_skill");

        json.Code.Should().Be(1, json.Err);
        var result = Json(json.Out);
        result.GetProperty("baseline").GetProperty("hash").GetString().Should().Be(HashA);
        result.GetProperty("baseline").GetProperty("passed").GetInt32().Should().Be(19);
        result.GetProperty("candidate").GetProperty("passed").GetInt32().Should().Be(8);
        result.GetProperty("deltaPp").GetDouble().Should().BeApproximately(-55, 1e-9);
        result.GetProperty("regression").GetString().Should().Be("detected");
        result.GetProperty("pValue").GetDouble().Should().BeLessThan(0.05);
        text.Code.Should().Be(1);
        text.Out.Should().Contain("Baseline:  sha:abc12345  95% pass (19/20 runs)").And.Contain("regression: DETECTED");
    }

    [Fact]
    public async Task EvalCompare_Improvement_ExitsZeroWithRegressionNone()
    {
        for (var i = 0; i < 10; i++)
        {
            _log.Write(i < 5 ? Ok("a" + i, i, version: HashA) : Bad("a" + i, i, version: HashA));
            _log.Write(Ok("b" + i, 30 + i, version: HashB));
        }

        var (code, output, _) = await RunAsync("eval", "compare", "my_skill");

        code.Should().Be(0);
        output.Should().Contain("Delta: +50pp / regression: none");
    }

    [Fact]
    public async Task EvalCompare_OneVersionOrUnknownSkill_ExitsTwoWithReason()
    {
        _log.Write(Ok("a", 0));

        var one = await RunAsync("eval", "compare", "my_skill");
        var unknown = await RunAsync("eval", "compare", "ghost");

        one.Code.Should().Be(2);
        one.Err.Should().Contain("only one version");
        unknown.Code.Should().Be(2);
        unknown.Err.Should().Contain("No completed runs of skill 'ghost'");
    }
}
