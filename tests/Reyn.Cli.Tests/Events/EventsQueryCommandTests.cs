using System.Text.Json;
using Reyn.Cli.Tests.Events.Support;
using Reyn.Events;
using static Reyn.Cli.Tests.Events.Support.EventsCliFixture;

namespace Reyn.Cli.Tests.Events;

public sealed class EventsQueryCommandTests : IDisposable
{
    private readonly EventsCliFixture _f = new();

    public void Dispose() => _f.Dispose();

    private Task SeedDefaultAsync() => _f.SeedAsync(
        Event(EventTypes.ToolFailed, T0, ("op", "review_fetch"), ("error", "review fetch failed with 502"), (EventFields.Project, "app"),
            (EventFields.SessionId, "ta-7"), (EventFields.RunId, "run-1"), (EventFields.Agent, "coder")),
        Event(EventTypes.PhaseStarted, T0.AddMinutes(1), (EventFields.Phase, "plan"), ("visit_count", 1), (EventFields.Project, "app"),
            (EventFields.SessionId, "ta-7"), (EventFields.RunId, "run-1")),
        Event(EventTypes.ChatStarted, T0.AddMinutes(2), (EventFields.SessionId, "ta-8"), (EventFields.Project, "other")));

    [Fact]
    public async Task List_Json_PrintsVersionedEnvelopeWithQueryMetaAndEvents()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "list", "--session", "ta-7", "--since", "2026-05-01", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        using var json = result.Json();
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("version", "query", "meta", "events");
        root.GetProperty("version").GetInt32().Should().Be(1);
        var query = root.GetProperty("query");
        query.GetProperty("sessionId").GetString().Should().Be("ta-7");
        query.GetProperty("since").GetString().Should().Be("2026-05-01");
        query.GetProperty("project").ValueKind.Should().Be(JsonValueKind.Null);
        query.GetProperty("limit").GetInt32().Should().Be(50);
        var meta = root.GetProperty("meta");
        meta.EnumerateObject().Select(p => p.Name).Should().Equal("resultCount", "droppedEventCount", "ftsEnabled", "fallbackUsed", "ts");
        meta.GetProperty("resultCount").GetInt32().Should().Be(2);
        meta.GetProperty("droppedEventCount").GetInt64().Should().Be(0);
        meta.GetProperty("ftsEnabled").GetBoolean().Should().BeTrue();
        meta.GetProperty("fallbackUsed").GetBoolean().Should().BeFalse();
        var events = root.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("type").GetString()).Should().Equal(EventTypes.PhaseStarted, EventTypes.ToolFailed);
        var failed = events[1];
        failed.GetProperty("data").ValueKind.Should().Be(JsonValueKind.Object);
        failed.GetProperty("data").GetProperty("op").GetString().Should().Be("review_fetch");
        failed.GetProperty("summary").GetString().Should().Be("Op review_fetch failed: review fetch failed with 502");
        failed.GetProperty("project").GetString().Should().Be("app");
        failed.GetProperty("agent").GetString().Should().Be("coder");
        failed.GetProperty("runId").GetString().Should().Be("run-1");
        failed.GetProperty("level").GetString().Should().Be("error");
        failed.GetProperty("source").GetString().Should().Be("op");
        failed.GetProperty("ts").GetString().Should().Be("2026-05-18T10:00:00.000Z");
        failed.GetProperty("tsEpoch").GetInt64().Should().Be(T0.ToUnixTimeMilliseconds());
        failed.TryGetProperty("rank", out _).Should().BeFalse("rank appears only on search results");
    }

    [Fact]
    public async Task Search_Json_RanksAndAddsRankAndQueryText()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "search", "review fetch failed", "--project", "app", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        using var json = result.Json();
        var root = json.RootElement;
        root.GetProperty("query").GetProperty("q").GetString().Should().Be("review fetch failed");
        root.GetProperty("query").GetProperty("limit").GetInt32().Should().Be(100);
        var e = root.GetProperty("events").EnumerateArray().Should().ContainSingle().Subject;
        e.GetProperty("type").GetString().Should().Be(EventTypes.ToolFailed);
        e.GetProperty("rank").GetDouble().Should().BeLessThan(0, "BM25 ranks are negative, best lowest");
    }

    [Fact]
    public async Task List_Filters_TypeRepeatableLevelSourceRunAgent()
    {
        await SeedDefaultAsync();

        async Task<string[]> Types(params string[] args)
        {
            var r = await _f.RunAsync(["events", "list", "--json", .. args]);
            r.ExitCode.Should().Be(0, r.Error);
            using var json = r.Json();
            return json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
        }

        (await Types("-t", "chat_started", "-t", "tool_failed")).Should().Equal(EventTypes.ChatStarted, EventTypes.ToolFailed);
        (await Types("--level", "error")).Should().Equal(EventTypes.ToolFailed);
        (await Types("--source", "lifecycle")).Should().Equal(EventTypes.PhaseStarted);
        (await Types("--run", "run-1", "--agent", "coder")).Should().Equal(EventTypes.ToolFailed);
        (await Types("--project", "other")).Should().Equal(EventTypes.ChatStarted);
        (await Types("--until", "2026-05-18T10:00:30Z")).Should().Equal(EventTypes.ToolFailed);
        (await Types("--limit", "1")).Should().Equal(EventTypes.ChatStarted);
    }

    [Fact]
    public async Task List_LimitOutOfRange_IsClampedAndEchoed()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "list", "--limit", "5000", "--json");

        using var json = result.Json();
        json.RootElement.GetProperty("query").GetProperty("limit").GetInt32().Should().Be(1000);
    }

    [Fact]
    public async Task List_BeforeId_PagesToOlderEvents()
    {
        await SeedDefaultAsync();
        var first = await _f.RunAsync("events", "list", "--limit", "2");
        first.Out.Should().Contain("More: add --before-id 2");

        var result = await _f.RunAsync("events", "list", "--limit", "2", "--before-id", "2", "--json");

        using var json = result.Json();
        json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).Should().Equal(1L);
    }

    [Fact]
    public async Task List_Human_PrintsTableWithSummaryAndCount()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "list", "--project", "app");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("TYPE").And.Contain("SUMMARY").And.Contain("Op review_fetch failed: review fetch failed with 502")
            .And.Contain("Phase plan started (visit 1)").And.Contain("ta-7").And.Contain("2 event(s)");
        result.Out.Should().NotContain("ta-8");
    }

    [Fact]
    public async Task List_Search_Stats_NothingMatches_PrintNoEventsFoundAndExit0()
    {
        await SeedDefaultAsync();

        foreach (var args in new[] { new[] { "events", "list", "--project", "none" }, ["events", "search", "zzzqqq"], ["events", "stats", "--project", "none"] })
        {
            var result = await _f.RunAsync(args);
            result.ExitCode.Should().Be(0);
            result.Out.Should().Contain("No events found.");
            result.Error.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task List_NoStoreFileYet_PrintsNoEventsFound()
    {
        var result = await _f.RunAsync("events", "list");

        result.ExitCode.Should().Be(0);
        result.Out.Trim().Should().Be("No events found.");
        File.Exists(_f.DbPath).Should().BeFalse();
    }

    [Fact]
    public async Task Stats_Json_HasTotalsCountsAndHourlyHistogram()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "stats", "--since", "2026-05-18T09:00:00Z", "--until", "2026-05-18T11:30:00Z", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        using var json = result.Json();
        var stats = json.RootElement.GetProperty("stats");
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        stats.GetProperty("total").GetInt64().Should().Be(3);
        stats.GetProperty("oldest").GetString().Should().Be("2026-05-18T10:00:00.000Z");
        stats.GetProperty("newest").GetString().Should().Be("2026-05-18T10:02:00.000Z");
        stats.GetProperty("byType").GetProperty("tool_failed").GetInt64().Should().Be(1);
        stats.GetProperty("bySource").GetProperty("chat").GetInt64().Should().Be(1);
        stats.GetProperty("byLevel").GetProperty("info").GetInt64().Should().Be(2);
        stats.GetProperty("hourly").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()).Should().Equal(0L, 3L, 0L);
    }

    [Fact]
    public async Task Stats_Human_PrintsTotalsAndGroups()
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "stats", "--since", "2026-05-01");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("Total events:    3").And.Contain("Dropped events:  0").And.Contain("tool_failed").And.Contain("lifecycle");
    }

    [Theory]
    [InlineData("--since", "yesterday", "Bad value for --since")]
    [InlineData("--until", "2026-99-99", "Bad value for --until")]
    [InlineData("--type", "tool_fail", "Unknown event type 'tool_fail' for --type. Did you mean: tool_failed")]
    [InlineData("--level", "loud", "Unknown level 'loud' for --level. Use debug, info, warn or error.")]
    [InlineData("--limit", "abc", "abc")]
    [InlineData("--bogus", "x", "--bogus")]
    public async Task List_BadInput_ExitsTwoWithClearMessageAndNoStackTrace(string flag, string value, string expected)
    {
        await SeedDefaultAsync();

        var result = await _f.RunAsync("events", "list", flag, value);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain(expected);
        result.Error.Should().NotContain("   at ", "user errors never print stack traces");
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task Search_EmptyText_ExitsTwo()
    {
        var result = await _f.RunAsync("events", "search", "  ");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("search text is empty");
    }

    [Fact]
    public async Task List_SinceAfterUntil_ExitsTwo()
    {
        var result = await _f.RunAsync("events", "list", "--since", "2026-05-02", "--until", "2026-05-01");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("is after --until");
    }

    [Fact]
    public async Task List_RootDoesNotExist_ExitsTwoSayingHowToPointAtOne()
    {
        var result = await RunWithoutRootAsync("events", "list", "--root", Path.Combine(_f.Root, "missing"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("does not exist").And.Contain("--root");
    }

    [Fact]
    public async Task List_StoreFromNewerVersion_ExitsOneWithUpgradeMessage()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_f.DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7;";
            command.ExecuteNonQuery();
        }

        var result = await _f.RunAsync("events", "list");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("schema version 7").And.Contain("Upgrade Reyn.Events");
        result.Error.Should().NotContain("   at ");
    }
}
