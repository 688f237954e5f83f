using System.Text;
using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.ActivityStore.Internal;
using Reyn.Testing;
using static Reyn.Events.Tests.Support.ActivityTestEvents;

namespace Reyn.Events.Tests.ActivityStore;

/// <summary>The FTS index layout: what is indexed, batch indexing by the writer, and the rebuild of the first layout.</summary>
public sealed class ActivityFtsIndexTests : IDisposable
{
    /// <summary>The first FTS layout as it shipped: external content over summary and the raw JSON, kept up by triggers.</summary>
    private const string LegacyFts = """
        CREATE VIRTUAL TABLE activity_events_fts USING fts5(summary, data, content='activity_events', content_rowid='id');
        CREATE TRIGGER activity_events_ai AFTER INSERT ON activity_events BEGIN
          INSERT INTO activity_events_fts(rowid, summary, data) VALUES (new.id, new.summary, new.data);
        END;
        CREATE TRIGGER activity_events_ad AFTER DELETE ON activity_events BEGIN
          INSERT INTO activity_events_fts(activity_events_fts, rowid, summary, data) VALUES ('delete', old.id, old.summary, old.data);
        END;
        """;

    private readonly TempDirectory _dir = new("reyn-activity-fts");

    private string DbPath => _dir.Combine("events.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task SearchAsync_JsonKeysIdsAndStampedFields_AreNotIndexedButValuesAre()
    {
        await using (var sink = new ActivitySink(DbPath))
        {
            sink.Write(Make(EventTypes.ToolFailed, T0, ("op", "deploy"), ("error", "quota exceeded"), (EventFields.Project, "projqx"),
                (EventFields.SessionId, "sessqx"), (EventFields.Emitter, "emitqx"), (EventFields.AuditSeq, 4242L), ("duration_ms", 9191L)));
            await sink.FlushAsync();
        }

        var store = new SqliteActivityStore(DbPath);
        (await store.SearchAsync("quota", new ActivityQuery())).Events.Should().ContainSingle("string values are indexed");
        (await store.SearchAsync("deploy", new ActivityQuery())).Events.Should().ContainSingle();
        foreach (var noise in new[] { "duration_ms", "error", "projqx", "sessqx", "emitqx", "4242", "9191" })
        {
            (await store.SearchAsync(noise, new ActivityQuery())).Events.Should().BeEmpty($"'{noise}' is a key, a filter column, a stamped field or a number");
        }

        (await store.ListAsync(new ActivityQuery { Project = "projqx", Session = "sessqx" })).Events.Should().ContainSingle("ids stay filterable as columns");
    }

    [Fact]
    public async Task Write_ManySmallBatches_EveryRowIndexedOnceAndIndexIntact()
    {
        await using (var sink = new ActivitySink(DbPath, new ActivityStoreOptions { BatchSize = 7 }))
        {
            for (var i = 0; i < 100; i++)
            {
                sink.Write(Make(EventTypes.ToolFailed, T0.AddSeconds(i), ("op", "op" + i), ("error", "widget broke")));
            }

            await sink.FlushAsync();
            sink.WrittenCount.Should().Be(100);
        }

        var store = new SqliteActivityStore(DbPath);
        var page = await store.SearchAsync("widget", new ActivityQuery { Limit = 500 });
        page.Events.Should().HaveCount(100).And.OnlyHaveUniqueItems(e => e.Id);
        (await store.SearchAsync("op57", new ActivityQuery())).Events.Should().ContainSingle().Which.Summary.Should().Contain("op57");
        IntegrityCheck().Should().NotThrow();
    }

    [Fact]
    public async Task Open_LegacyExternalContentIndex_IsRebuiltKeepingEveryRowSearchable()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ActivitySchema.CreateVersion1 + LegacyFts + """
                INSERT INTO activity_events (ts_epoch, ts, project_id, session_id, source, type, log_level, summary, data)
                VALUES (1779098400000, '2026-05-18T10:00:00.000Z', 'p', 's', 'op', 'tool_failed', 'error',
                        'Op legacy failed: boom', '{"agent":"a","op":"legacy","error":"flux capacitor"}');
                """;
            command.ExecuteNonQuery();
        }

        var store = new SqliteActivityStore(DbPath);
        (await store.SearchAsync("capacitor", new ActivityQuery())).Events.Should().ContainSingle("existing rows are indexed by the rebuild");
        (await store.SearchAsync("error", new ActivityQuery())).Events.Should().BeEmpty("the rebuilt index holds values, not JSON keys");
        FtsSql().Should().Contain("content=''").And.Contain("contentless_delete=1");

        await using (var sink = new ActivitySink(DbPath, new ActivityStoreOptions { Retention = TimeSpan.Zero }))
        {
            sink.Write(Make(EventTypes.ToolFailed, T0.AddMinutes(1), ("op", "fresh"), ("error", "flux capacitor")));
            await sink.FlushAsync();
            sink.WrittenCount.Should().Be(1);
        }

        (await store.SearchAsync("capacitor", new ActivityQuery())).Events.Should().HaveCount(2, "the writer indexes new rows exactly once");
        IntegrityCheck().Should().NotThrow();
    }

    [Fact]
    public void WriteBody_Payload_KeepsStringValuesInOrderWithoutKeysNumbersOrStampedFields()
    {
        var json = """{"project":"p","op":"git_clone","n":3,"ok":true,"error":"fetch failed","emitter":"e1","audit_seq":5,"files":["a.cs","b.cs"]}"""u8;
        var body = new byte[json.Length];

        Encoding.UTF8.GetString(body, 0, Utf8ActivityRows.WriteBody(json, body)).Should().Be("git_clone fetch failed a.cs b.cs");
    }

    private string FtsSql()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'activity_events_fts';";
        return (string)command.ExecuteScalar()!;
    }

    private Action IntegrityCheck() => () =>
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO activity_events_fts(activity_events_fts) VALUES('integrity-check');";
        command.ExecuteNonQuery();
    };
}
