using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Testing;
using static Reyn.Events.Tests.Support.ActivityTestEvents;

namespace Reyn.Events.Tests.ActivityStore;

public sealed class SqliteActivityStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-activity");

    private string DbPath => _dir.Combine("events.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<SqliteActivityStore> SeedAsync(ActivityStoreOptions? options = null, params ReynEvent[] events)
    {
        await using (var sink = new ActivitySink(DbPath, options))
        {
            foreach (var e in events)
            {
                sink.Write(e);
            }

            await sink.FlushAsync();
        }

        return new SqliteActivityStore(DbPath, options);
    }

    private static ReynEvent Failed(string op, string error, int minute, string project = "p1", string session = "s1", string run = "r1", string agent = "a1") =>
        Make(EventTypes.ToolFailed, T0.AddMinutes(minute), ("op", op), ("error", error), (EventFields.Project, project),
            (EventFields.SessionId, session), (EventFields.RunId, run), (EventFields.Agent, agent));

    [Fact]
    public async Task ListAsync_NoFilter_ReturnsNewestFirst()
    {
        var store = await SeedAsync(null, Failed("a", "e", 1), Failed("b", "e", 2), Failed("c", "e", 3));

        var page = await store.ListAsync(new ActivityQuery());

        page.Events.Select(e => e.Summary).Should().Equal("Op c failed: e", "Op b failed: e", "Op a failed: e");
        page.FallbackUsed.Should().BeFalse();
    }

    [Fact]
    public async Task ListAsync_EachFilterAxis_ReturnsOnlyMatchingEvents()
    {
        var store = await SeedAsync(null,
            Failed("base", "e", 1),
            Failed("proj", "e", 2, project: "p2"),
            Failed("sess", "e", 3, session: "s2"),
            Failed("run", "e", 4, run: "r2"),
            Failed("agent", "e", 5, agent: "a2"),
            Make(EventTypes.ToolCalled, T0.AddMinutes(6), ("op", "called"), (EventFields.Project, "p1")),
            Make(EventTypes.ChatStarted, T0.AddMinutes(7), (EventFields.SessionId, "s1")));

        async Task<string[]> Ops(ActivityQuery q) => (await store.ListAsync(q)).Events.Select(e => e.Summary).ToArray();

        (await Ops(new ActivityQuery { Project = "p2" })).Should().Equal("Op proj failed: e");
        (await Ops(new ActivityQuery { Session = "s2" })).Should().Equal("Op sess failed: e");
        (await Ops(new ActivityQuery { Run = "r2" })).Should().Equal("Op run failed: e");
        (await Ops(new ActivityQuery { Agent = "a2" })).Should().Equal("Op agent failed: e");
        (await Ops(new ActivityQuery { Source = EventSources.Chat })).Should().Equal("Chat session s1 started");
        (await Ops(new ActivityQuery { Types = [EventTypes.ToolCalled, EventTypes.ChatStarted] }))
            .Should().Equal("Chat session s1 started", "Op called called");
        (await Ops(new ActivityQuery { MinLevel = EventLevel.Error })).Should().HaveCount(5).And.OnlyContain(s => s.Contains("failed"));
        (await Ops(new ActivityQuery { Since = T0.AddMinutes(6) })).Should().HaveCount(2);
        (await Ops(new ActivityQuery { Until = T0.AddMinutes(2) })).Should().Equal("Op proj failed: e", "Op base failed: e");
        (await Ops(new ActivityQuery { Project = "p1", Session = "s1", Types = [EventTypes.ToolFailed], Since = T0.AddMinutes(4) }))
            .Should().Equal("Op agent failed: e", "Op run failed: e");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(3, 3)]
    [InlineData(5000, 1000)]
    public void EffectiveLimit_OutOfRange_IsClampedTo1To1000(int limit, int expected) =>
        new ActivityQuery { Limit = limit }.EffectiveLimit.Should().Be(expected);

    [Fact]
    public async Task ListAsync_PagingByBeforeId_VisitsEveryEventOnce()
    {
        var events = Enumerable.Range(0, 23).Select(i => Failed("op" + i, "e", i)).ToArray();
        var store = await SeedAsync(null, events);

        var seen = new List<long>();
        long? cursor = null;
        int pages = 0;
        while (true)
        {
            var page = await store.ListAsync(new ActivityQuery { Limit = 5, BeforeId = cursor });
            if (page.Events.Count == 0)
            {
                break;
            }

            pages++;
            seen.AddRange(page.Events.Select(e => e.Id));
            cursor = page.NextBeforeId;
        }

        pages.Should().Be(5);
        seen.Should().HaveCount(23).And.OnlyHaveUniqueItems().And.BeInDescendingOrder();
    }

    [Fact]
    public async Task SearchAsync_TwoWords_MatchesSummaryAndDataRankedByBm25()
    {
        var store = await SeedAsync(null,
            Make(EventTypes.ToolFailed, T0, ("op", "review_fetch"), ("error", "review fetch failed: 502 from review service")),
            Make(EventTypes.ToolFailed, T0.AddMinutes(1), ("op", "deploy"), ("error", "timeout"), ("detail", "the review of the fetch log")),
            Make(EventTypes.ToolFailed, T0.AddMinutes(2), ("op", "unrelated"), ("error", "disk full")));

        var page = await store.SearchAsync("review fetch", new ActivityQuery());

        page.Events.Should().HaveCount(2);
        page.Events[0].Summary.Should().StartWith("Op review_fetch failed");
        page.Events.Should().OnlyContain(e => e.Rank != null);
        page.Events[0].Rank.Should().BeLessThan(page.Events[1].Rank!.Value);
        page.FtsEnabled.Should().BeTrue();
        page.FallbackUsed.Should().BeFalse();
    }

    [Fact]
    public async Task SearchAsync_TermOnlyInData_IsFound()
    {
        var store = await SeedAsync(null, Make(EventTypes.ChatStarted, T0, (EventFields.SessionId, "s"), ("terminal", "vanished-xyzzy")));

        (await store.SearchAsync("xyzzy", new ActivityQuery())).Events.Should().ContainSingle();
        (await store.SearchAsync("plugh", new ActivityQuery())).Events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("spawn; DROP TABLE activity_events; --")]
    [InlineData("spawn OR failed")]
    [InlineData("\"unbalanced quote spawn")]
    [InlineData("spawn -failed NOT NEAR(a b) ^col: {x} (y)")]
    [InlineData("' OR 1=1 --")]
    [InlineData("spawn* AND *")]
    public async Task SearchAsync_HostileText_IsTakenLiterallyAndNeverThrows(string text)
    {
        var store = await SeedAsync(null,
            Make(EventTypes.ToolFailed, T0, ("op", "spawn"), ("error", "failed")),
            Make(EventTypes.ToolFailed, T0, ("op", "other"), ("error", "or drop table activity_events near not col x y")));

        var act = async () => await store.SearchAsync(text, new ActivityQuery());

        await act.Should().NotThrowAsync();
        (await store.ListAsync(new ActivityQuery())).Events.Should().HaveCount(2, "nothing in the search text reaches SQL");
    }

    [Fact]
    public async Task SearchAsync_OrIsALiteralWord_NotAnOperator()
    {
        var store = await SeedAsync(null,
            Make(EventTypes.ToolFailed, T0, ("op", "alpha"), ("error", "x")),
            Make(EventTypes.ToolFailed, T0, ("op", "beta"), ("error", "x")));

        (await store.SearchAsync("alpha OR beta", new ActivityQuery())).Events.Should().BeEmpty("OR is searched as a word, which no event contains");
        (await store.SearchAsync("alpha -beta", new ActivityQuery())).Events.Should().BeEmpty("-beta is the word beta, not an exclusion");
    }

    [Fact]
    public async Task SearchAsync_QuotedPhraseAndPrefix_MatchAsDocumented()
    {
        var store = await SeedAsync(null,
            Make(EventTypes.ToolFailed, T0, ("op", "a"), ("error", "review fetch failed")),
            Make(EventTypes.ToolFailed, T0, ("op", "b"), ("error", "fetch review failed")));

        (await store.SearchAsync("\"review fetch\"", new ActivityQuery())).Events.Should().ContainSingle().Which.Summary.Should().Contain("Op a");
        (await store.SearchAsync("revi* fail*", new ActivityQuery())).Events.Should().HaveCount(2);
        (await store.SearchAsync("revi", new ActivityQuery())).Events.Should().BeEmpty("without * a word must match whole");
    }

    [Fact]
    public async Task SearchAsync_FiltersApplyBeforeLimit()
    {
        var events = Enumerable.Range(0, 30).Select(i => Failed("spawn" + i, "spawn failed", 100 + i, project: "noisy")).Append(Failed("quiet", "spawn failed", 1, project: "quiet")).ToArray();
        var store = await SeedAsync(null, events);

        var page = await store.SearchAsync("spawn failed", new ActivityQuery { Project = "quiet", Limit = 1 });

        page.Events.Should().ContainSingle().Which.Project.Should().Be("quiet");
    }

    [Fact]
    public async Task SearchAsync_MoreMatchesThanCandidateWindow_RanksOnlyTheNewestMatchesAfterFilters()
    {
        var options = new ActivityStoreOptions { SearchCandidateWindow = 3 };
        var store = await SeedAsync(options,
            Failed("oldbest", "spawn spawn spawn spawn failed", 1),
            Failed("m2", "spawn failed", 2),
            Failed("m3", "spawn failed", 3),
            Failed("elsewhere", "spawn failed", 4, project: "p2"),
            Failed("m4", "spawn failed", 5),
            Failed("m5", "spawn failed", 6, project: "p2"));

        var windowed = await store.SearchAsync("spawn", new ActivityQuery());
        windowed.Events.Select(e => e.Summary).Should().HaveCount(3).And.NotContain(s => s.Contains("oldbest"));

        var filtered = await store.SearchAsync("spawn", new ActivityQuery { Project = "p1" });
        filtered.Events.Select(e => e.Summary.Split(' ')[1]).Should().BeEquivalentTo(["m2", "m3", "m4"], "the window counts matches after filters");

        var unbounded = await new SqliteActivityStore(DbPath, new ActivityStoreOptions { SearchCandidateWindow = 0 }).SearchAsync("spawn", new ActivityQuery());
        unbounded.Events.Should().HaveCount(6);
        unbounded.Events[0].Summary.Should().Contain("oldbest", "with every match ranked, the densest match wins");
    }

    [Fact]
    public async Task SearchAsync_NoWords_ReturnsNothing()
    {
        var store = await SeedAsync(null, Failed("a", "b", 1));

        (await store.SearchAsync("  \"\" -- ;", new ActivityQuery())).Events.Should().BeEmpty();
    }

    [Fact]
    public async Task SearchAsync_FtsUnavailable_FallsBackToEscapedLike()
    {
        var options = new ActivityStoreOptions { FullTextSearch = false };
        var store = await SeedAsync(options,
            Make(EventTypes.ToolFailed, T0, ("op", "a"), ("error", "upload 50%_done then review fetch failed")),
            Make(EventTypes.ToolFailed, T0.AddMinutes(1), ("op", "b"), ("error", "upload 50x done")),
            Make(EventTypes.ToolFailed, T0.AddMinutes(2), ("op", "c"), ("error", "nothing here"), (EventFields.Project, "other")));

        var page = await store.SearchAsync("review fetch", new ActivityQuery());
        page.FtsEnabled.Should().BeFalse();
        page.FallbackUsed.Should().BeTrue();
        page.Events.Should().ContainSingle().Which.Summary.Should().StartWith("Op a");
        page.Events[0].Rank.Should().BeNull();

        (await store.SearchAsync("\"50%_done\"", new ActivityQuery())).Events.Should().BeEmpty("the phrase is the words 50 and done in order, % and _ are not wildcards");
        (await store.SearchAsync("50", new ActivityQuery())).Events.Should().HaveCount(2);
        (await store.SearchAsync("_", new ActivityQuery())).Events.Should().ContainSingle("_ is a literal underscore, not a LIKE wildcard")
            .Which.Summary.Should().StartWith("Op a");
        (await store.SearchAsync("nothing", new ActivityQuery { Project = "p1" })).Events.Should().BeEmpty("filters apply to the fallback too");
    }

    [Fact]
    public async Task GetStatsAsync_Counts_ByTypeSourceLevelAndHourlyHistogram()
    {
        var time = new ManualTimeProvider(T0.AddHours(3));
        await using (var sink = new ActivitySink(DbPath, timeProvider: time))
        {
            sink.Write(Failed("a", "e", 0));
            sink.Write(Failed("b", "e", 30));
            sink.Write(Failed("c", "e", 130));
            sink.Write(Make(EventTypes.ChatStarted, T0.AddMinutes(150), (EventFields.SessionId, "s")));
            await sink.FlushAsync();
        }

        var store = new SqliteActivityStore(DbPath, timeProvider: time);
        var stats = await store.GetStatsAsync(new ActivityQuery { Since = T0 });

        stats.Total.Should().Be(4);
        stats.Oldest.Should().Be(T0);
        stats.Newest.Should().Be(T0.AddMinutes(150));
        stats.ByType.Should().Equal(new ActivityCount(EventTypes.ToolFailed, 3), new ActivityCount(EventTypes.ChatStarted, 1));
        stats.BySource.Should().Equal(new ActivityCount("op", 3), new ActivityCount("chat", 1));
        stats.ByLevel.Should().Equal(new ActivityCount("error", 3), new ActivityCount("info", 1));
        stats.WindowStart.Should().Be(T0);
        stats.WindowEnd.Should().Be(T0.AddHours(3));
        stats.Hourly.Select(b => b.Count).Should().Equal(2, 0, 2, 0);
        stats.Hourly[0].Hour.Should().Be(T0);

        var filtered = await store.GetStatsAsync(new ActivityQuery { Source = "chat" });
        filtered.Total.Should().Be(1);
        filtered.Hourly.Should().HaveCount(25, "the default window is the 24 hours before now");
    }

    [Fact]
    public async Task ListAsync_MissingFile_IsEmptyAndCreatesNothing()
    {
        var store = new SqliteActivityStore(DbPath);

        (await store.ListAsync(new ActivityQuery())).Events.Should().BeEmpty();
        (await store.GetStatsAsync(new ActivityQuery())).Total.Should().Be(0);
        File.Exists(DbPath).Should().BeFalse();
    }

    [Fact]
    public async Task Open_Version1File_IsMigratedKeepingRowsAndBackfillingAgentAndRun()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Reyn.Events.ActivityStore.Internal.ActivitySchema.CreateVersion1 + """
                INSERT INTO activity_events (ts_epoch, ts, project_id, session_id, source, type, log_level, summary, data)
                VALUES (1779098400000, '2026-05-18T10:00:00.000Z', 'old-proj', 'old-sess', 'op', 'tool_failed', 'error',
                        'Op legacy failed: boom', '{"agent":"old-agent","run_id":"old-run","op":"legacy"}');
                """;
            command.ExecuteNonQuery();
        }

        var store = new SqliteActivityStore(DbPath);
        var page = await store.ListAsync(new ActivityQuery { Agent = "old-agent" });

        var e = page.Events.Should().ContainSingle().Subject;
        e.Project.Should().Be("old-proj");
        e.Session.Should().Be("old-sess");
        e.Run.Should().Be("old-run");
        e.Level.Should().Be("error");
        (await store.SearchAsync("legacy", new ActivityQuery())).Events.Should().ContainSingle("the FTS index is built over migrated rows");
        ReadUserVersion().Should().Be(2);

        await using var sink = new ActivitySink(DbPath);
        sink.Write(Failed("new", "e", 1));
        await sink.FlushAsync();
        sink.WrittenCount.Should().Be(1);
    }

    [Fact]
    public async Task Open_NewerSchemaFile_IsRefusedWithClearMessageAndLeftUntouched()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE future (x); PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var act = async () => await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery());
        (await act.Should().ThrowAsync<ActivityStoreException>())
            .WithMessage("*schema version 99, newer than the 2 this Reyn.Events supports*Upgrade Reyn.Events*");

        await using (var sink = new ActivitySink(DbPath))
        {
            sink.Write(Failed("a", "b", 1));
            await sink.FlushAsync();
            sink.DroppedCount.Should().Be(1);
            sink.LastError.Should().Contain("newer than the 2");
        }

        ReadUserVersion().Should().Be(99);
    }

    private long ReadUserVersion()
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
