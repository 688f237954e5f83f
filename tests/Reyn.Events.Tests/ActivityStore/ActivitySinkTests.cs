using System.Text.Json;
using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.Tests.Support;
using Reyn.Testing;
using static Reyn.Events.Tests.Support.ActivityTestEvents;

namespace Reyn.Events.Tests.ActivityStore;

public sealed class ActivitySinkTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-activity");

    private string DbPath => _dir.Combine("events.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Write_EventThroughPipeline_PersistsEveryColumnFromEventAndCatalog()
    {
        var time = new ManualTimeProvider(T0);
        var sink = new ActivitySink(DbPath, timeProvider: time);
        var pipeline = new EventPipeline(timeProvider: time);
        pipeline.AddSink(sink);
        var log = new EventLog(pipeline, new EventContext(RunId: "run-1", Agent: "coder", Skill: "fix", Phase: "build", SessionId: "sess-9"));

        log.Emit(EventTypes.ToolFailed, new EventData { ["op"] = "shell", ["error"] = "exit 2", [EventFields.Project] = "proj-a" });
        await sink.FlushAsync();
        await sink.DisposeAsync();

        var page = await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery());
        var e = page.Events.Should().ContainSingle().Subject;
        e.TimestampMs.Should().Be(T0.ToUnixTimeMilliseconds());
        e.Timestamp.Should().Be("2026-05-18T10:00:00.000Z");
        e.Project.Should().Be("proj-a");
        e.Agent.Should().Be("coder");
        e.Session.Should().Be("sess-9");
        e.Run.Should().Be("run-1");
        e.Source.Should().Be(EventSources.Op);
        e.Type.Should().Be(EventTypes.ToolFailed);
        e.Level.Should().Be("error");
        e.Summary.Should().Be("Op shell failed: exit 2");
        using var data = JsonDocument.Parse(e.Data!);
        data.RootElement.GetProperty("op").GetString().Should().Be("shell");
        data.RootElement.GetProperty("phase").GetString().Should().Be("build");
        data.RootElement.GetProperty("audit_seq").GetInt64().Should().Be(1);
        page.FtsEnabled.Should().BeTrue();
        sink.WrittenCount.Should().Be(1);
        sink.DroppedCount.Should().Be(0);
    }

    [Fact]
    public async Task Write_AfterNewestRowsWereDeleted_NeverReusesTheirIds()
    {
        var time = new ManualTimeProvider(T0);
        await using (var sink = new ActivitySink(DbPath, timeProvider: time))
        {
            for (var i = 0; i < 3; i++)
            {
                sink.Write(Make(EventTypes.ToolCalled, T0.AddSeconds(i), ("op", "op" + i)));
            }

            await sink.FlushAsync();
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM activity_events WHERE id >= 2;";
            delete.ExecuteNonQuery();
        }

        await using (var sink = new ActivitySink(DbPath, timeProvider: time))
        {
            sink.Write(Make(EventTypes.ToolCalled, T0.AddSeconds(5), ("op", "late")));
            await sink.FlushAsync();
        }

        // Paging by id ("before id N") relies on ids that only grow: a writer that numbers its batch itself must continue
        // after the highest id ever used, as AUTOINCREMENT does, not after the highest id left.
        var page = await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery());
        page.Events.Select(e => e.Id).Should().Equal(4, 1);
        (await new SqliteActivityStore(DbPath).SearchAsync("late", new ActivityQuery())).Events.Should().ContainSingle().Which.Id.Should().Be(4);
    }

    [Fact]
    public async Task Write_LevelFieldOverridesCatalogDefault_StoresGivenLevel()
    {
        await using (var sink = new ActivitySink(DbPath))
        {
            sink.Write(Make(EventTypes.ToolCalled, T0, ("op", "x"), (EventFields.Level, "warn")));
            await sink.FlushAsync();
        }

        var page = await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery { MinLevel = EventLevel.Warn });
        page.Events.Should().ContainSingle().Which.Level.Should().Be("warn");
    }

    [Fact]
    public async Task Write_RowInsertFailsInsideBatch_BatchDroppedWithSqliteReasonThenNextBatchWritten()
    {
        var time = new ManualTimeProvider(T0);
        var options = new ActivityStoreOptions { Retention = TimeSpan.Zero };
        await using (var setup = new ActivitySink(DbPath, options, time))
        {
            setup.Write(Make(EventTypes.ToolCalled, T0, ("op", "first")));
            await setup.FlushAsync();
        }

        Execute("CREATE TRIGGER reject_boom BEFORE INSERT ON activity_events WHEN new.data LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'rejected by the test trigger'); END;");
        await using var sink = new ActivitySink(DbPath, options, time);

        sink.Write(Make(EventTypes.ToolCalled, T0.AddSeconds(1), ("op", "fine")));
        sink.Write(Make(EventTypes.ToolCalled, T0.AddSeconds(2), ("op", "boom")));
        await sink.FlushAsync();

        sink.DroppedCount.Should().BeInRange(1, 2, "the batch holding the rejected row is dropped whole");
        (sink.WrittenCount + sink.DroppedCount).Should().Be(2);
        sink.LastError.Should().Contain("rejected by the test trigger");

        Execute("DROP TRIGGER reject_boom;");
        sink.Write(Make(EventTypes.ToolCalled, T0.AddSeconds(3), ("op", "after")));
        await sink.FlushAsync();

        sink.WrittenCount.Should().Be(3 - sink.DroppedCount, "the writer reopened and its statements work after the failure");
        var ops = (await new SqliteActivityStore(DbPath, options).ListAsync(new ActivityQuery()))
            .Events.Select(e => JsonDocument.Parse(e.Data!).RootElement.GetProperty("op").GetString()).ToList();
        ops.Should().Contain(["first", "after"]).And.NotContain("boom");
        IntegrityCheck();
    }

    [Fact]
    public async Task Write_QueueFullWhileDatabaseLocked_NeverThrowsAndCountsEveryDrop()
    {
        var options = new ActivityStoreOptions { QueueCapacity = 4, BatchSize = 1, BusyTimeout = TimeSpan.FromSeconds(60) };
        await using var sink = new ActivitySink(DbPath, options);
        sink.Write(Make(EventTypes.ChatStarted, T0));
        await sink.FlushAsync();

        using (var blocker = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            blocker.Open();
            using var tx = blocker.BeginTransaction(deferred: false);
            var act = () =>
            {
                for (var i = 0; i < 100; i++)
                {
                    sink.Write(Make(EventTypes.ChatStarted, T0));
                }
            };
            act.Should().NotThrow();
            sink.DroppedCount.Should().BeGreaterThanOrEqualTo(100 - 1 - 4 - 1, "at most one batch is in flight and four wait in the queue");
            sink.LastError.Should().Contain("queue is full");
            tx.Rollback();
        }

        await sink.FlushAsync();
        (sink.WrittenCount - 1 + sink.DroppedCount).Should().Be(100, "every event is either written or counted as dropped");
        var stats = await new SqliteActivityStore(DbPath).GetStatsAsync(new ActivityQuery());
        stats.Total.Should().Be(sink.WrittenCount);
    }

    [Fact]
    public async Task Write_DatabaseCannotOpen_DropsAndCountsThenRetriesAfterReopenInterval()
    {
        var time = new ManualTimeProvider(T0);
        var blockingFile = _dir.Combine("not-a-dir");
        await File.WriteAllTextAsync(blockingFile, "a file where the store's directory should be");
        var path = Path.Combine(blockingFile, "events.db");
        var options = new ActivityStoreOptions { ReopenInterval = TimeSpan.FromMinutes(1) };
        await using var sink = new ActivitySink(path, options, time);

        var act = () => sink.Write(Make(EventTypes.ChatStarted, T0));
        act.Should().NotThrow();
        await sink.FlushAsync();
        sink.DroppedCount.Should().Be(1);
        sink.LastError.Should().Contain("could not be opened");
        sink.IsOpen.Should().BeFalse();

        File.Delete(blockingFile);
        sink.Write(Make(EventTypes.ChatStarted, T0));
        await sink.FlushAsync();
        sink.DroppedCount.Should().Be(2, "before the reopen interval the writer does not try again");

        time.Advance(TimeSpan.FromMinutes(1));
        sink.Write(Make(EventTypes.ChatStopped, T0, (EventFields.SessionId, "s1")));
        await sink.FlushAsync();

        sink.IsOpen.Should().BeTrue();
        sink.WrittenCount.Should().Be(1);
        var page = await new SqliteActivityStore(path).ListAsync(new ActivityQuery());
        page.Events.Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStopped);
        page.DroppedEventCount.Should().Be(2, "drops are recorded in the file once it opens, for every reader to see");
    }

    [Fact]
    public async Task Prune_AtOpen_DeletesEventsOlderThanRetentionAndTheirFtsEntries()
    {
        var time = new ManualTimeProvider(T0);
        await using (var first = new ActivitySink(DbPath, timeProvider: time))
        {
            first.Write(Make(EventTypes.ToolFailed, T0 - TimeSpan.FromDays(8), ("op", "ancientop"), ("error", "x")));
            first.Write(Make(EventTypes.ToolFailed, T0 - TimeSpan.FromDays(1), ("op", "recentop"), ("error", "x")));
            await first.FlushAsync();
        }

        var store = new SqliteActivityStore(DbPath);
        (await store.SearchAsync("ancientop", new ActivityQuery())).Events.Should().ContainSingle();

        await using (var second = new ActivitySink(DbPath, timeProvider: time))
        {
            second.Write(Make(EventTypes.ChatStarted, T0));
            await second.FlushAsync();
            second.PrunedCount.Should().Be(1);
        }

        (await store.SearchAsync("ancientop", new ActivityQuery())).Events.Should().BeEmpty("the FTS index follows deletions");
        (await store.SearchAsync("recentop", new ActivityQuery())).Events.Should().ContainSingle();
        AssertFtsIntegrity();
    }

    [Fact]
    public async Task Prune_RunsAgainOnlyAfterPruneInterval()
    {
        var time = new ManualTimeProvider(T0);
        await using var sink = new ActivitySink(DbPath, new ActivityStoreOptions { Retention = TimeSpan.FromDays(7) }, time);
        sink.Write(Make(EventTypes.ChatStarted, T0 - TimeSpan.FromDays(10)));
        await sink.FlushAsync();
        sink.Write(Make(EventTypes.ChatStarted, T0));
        await sink.FlushAsync();
        sink.PrunedCount.Should().Be(0, "the open-time prune ran before the old event arrived and the next is an hour away");

        time.Advance(TimeSpan.FromMinutes(59));
        sink.Write(Make(EventTypes.ChatStarted, T0));
        await sink.FlushAsync();
        sink.PrunedCount.Should().Be(0);

        time.Advance(TimeSpan.FromMinutes(1));
        sink.Write(Make(EventTypes.ChatStarted, T0));
        await sink.FlushAsync();
        sink.PrunedCount.Should().Be(1);
        (await new SqliteActivityStore(DbPath).GetStatsAsync(new ActivityQuery())).Total.Should().Be(3);
    }

    [Fact]
    public async Task Prune_MaxRows_KeepsOnlyNewestRowsInBatches()
    {
        var time = new ManualTimeProvider(T0);
        var options = new ActivityStoreOptions { MaxRows = 10, PruneBatchSize = 3 };
        await using var sink = new ActivitySink(DbPath, options, time);
        for (var i = 0; i < 25; i++)
        {
            sink.Write(Make(EventTypes.ToolCalled, T0, ("op", "op" + i)));
        }

        await sink.FlushAsync();
        time.Advance(TimeSpan.FromHours(1));
        sink.Write(Make(EventTypes.ToolCalled, T0, ("op", "op25")));
        await sink.FlushAsync();

        var page = await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery { Limit = 100 });
        page.Events.Should().HaveCount(10);
        page.Events[0].Summary.Should().Be("Op op25 called");
        page.Events[^1].Summary.Should().Be("Op op16 called");
        AssertFtsIntegrity();
    }

    [Fact]
    public async Task Prune_MaxFileBytes_DeletesOldestUntilUsedSizeFits()
    {
        var time = new ManualTimeProvider(T0);
        var options = new ActivityStoreOptions { MaxFileBytes = 256 * 1024, PruneBatchSize = 100 };
        await using var sink = new ActivitySink(DbPath, options, time);
        var filler = new string('x', 400);
        for (var i = 0; i < 3000; i++)
        {
            sink.Write(Make(EventTypes.ToolCalled, T0, ("op", "op" + i), ("note", filler + i)));
        }

        await sink.FlushAsync();
        time.Advance(TimeSpan.FromHours(1));
        sink.Write(Make(EventTypes.ToolCalled, T0, ("op", "last")));
        await sink.FlushAsync();

        sink.PrunedCount.Should().BeGreaterThan(0);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var c = connection.CreateCommand();
            c.CommandText = sql;
            return (long)c.ExecuteScalar()!;
        }

        var used = (Scalar("PRAGMA page_count;") - Scalar("PRAGMA freelist_count;")) * Scalar("PRAGMA page_size;");
        used.Should().BeLessThanOrEqualTo(256 * 1024);
        var page = await new SqliteActivityStore(DbPath).ListAsync(new ActivityQuery { Limit = 1 });
        page.Events[0].Summary.Should().Be("Op last called", "the newest rows are kept");
    }

    [Fact]
    public async Task Write_AfterDispose_IsCountedNotThrown()
    {
        var sink = new ActivitySink(DbPath);
        await sink.DisposeAsync();

        var act = () => sink.Write(Make(EventTypes.ChatStarted, T0));

        act.Should().NotThrow();
        sink.DroppedCount.Should().Be(1);
    }

    [Fact]
    public async Task Dispose_WithQueuedEvents_PersistsThemFirst()
    {
        var sink = new ActivitySink(DbPath);
        for (var i = 0; i < 500; i++)
        {
            sink.Write(Make(EventTypes.ChatStarted, T0));
        }

        await sink.DisposeAsync();

        (await new SqliteActivityStore(DbPath).GetStatsAsync(new ActivityQuery())).Total.Should().Be(500);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithReason()
    {
        var act = () => new ActivitySink(DbPath, new ActivityStoreOptions { BatchSize = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("*BatchSize must be positive*");
    }

    private void AssertFtsIntegrity()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO activity_events_fts(activity_events_fts, rank) VALUES('integrity-check', 1);";
        var act = () => command.ExecuteNonQuery();
        act.Should().NotThrow("the FTS index must match the table after pruning");
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void IntegrityCheck() => Execute("INSERT INTO activity_events_fts(activity_events_fts) VALUES('integrity-check');");
}
