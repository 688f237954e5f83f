using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql.Tests.Support;
using Reyn.Testing;

namespace Reyn.PostgreSql.Tests.Contracts;

/// <summary>
/// The behaviour every activity store must have (query side <see cref="IActivityStore"/>, write side an
/// <see cref="IFlushableEventSink"/>), run against SQLite and PostgreSQL alike.
/// </summary>
public abstract class ActivityStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 5, 18, 10, 0, 0, TimeSpan.Zero);

    protected ManualTimeProvider Time { get; } = new(T0.AddHours(2));

    /// <summary>Creates the write side.</summary>
    protected abstract IFlushableEventSink CreateSink();

    /// <summary>Creates the query side over the same store.</summary>
    protected abstract IActivityStore CreateStore();

    protected abstract Task CleanupAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => CleanupAsync();

    protected static ReynEvent Make(string type, DateTimeOffset timestamp, params (string Key, object? Value)[] fields)
    {
        var data = new EventData();
        foreach (var (key, value) in fields)
        {
            data.Set(key, value);
        }

        return new ReynEvent(type, timestamp, data);
    }

    protected static ReynEvent Failed(string op, string error, int minute, string project = "p1", string session = "s1", string run = "r1", string agent = "a1") =>
        Make(EventTypes.ToolFailed, T0.AddMinutes(minute), ("op", op), ("error", error), (EventFields.Project, project),
            (EventFields.SessionId, session), (EventFields.RunId, run), (EventFields.Agent, agent));

    protected static ReynEvent Called(string op, int minute, string session = "s1") =>
        Make(EventTypes.ToolCalled, T0.AddMinutes(minute), ("op", op), (EventFields.SessionId, session), (EventFields.Project, "p1"));

    protected async Task<IActivityStore> SeedAsync(params ReynEvent[] events)
    {
        var sink = CreateSink();
        try
        {
            foreach (var e in events)
            {
                sink.Write(e);
            }

            await sink.FlushAsync();
        }
        finally
        {
            await ((IAsyncDisposable)sink).DisposeAsync();
        }

        return CreateStore();
    }

    [BackendFact]
    public async Task ListAsync_Filters_ReturnNewestFirstAndPageById()
    {
        var store = await SeedAsync(
            Failed("grep", "timeout", 1, session: "s1"),
            Called("read_file", 2, session: "s1"),
            Failed("grep", "denied", 3, session: "s2"),
            Called("write_file", 4, session: "s1"),
            Failed("edit", "conflict", 5, session: "s1", project: "p2"));

        var page = await store.ListAsync(new ActivityQuery { Session = "s1", Limit = 2 });
        page.Events.Select(e => e.Summary).Should().HaveCount(2);
        page.Events.Select(e => e.TimestampMs).Should().BeInDescendingOrder();
        page.Events[0].Session.Should().Be("s1");
        page.Events[0].Project.Should().Be("p2");

        var next = await store.ListAsync(new ActivityQuery { Session = "s1", Limit = 10, BeforeId = page.NextBeforeId });
        next.Events.Should().HaveCount(2);
        next.Events.Select(e => e.Type).Should().Equal(EventTypes.ToolCalled, EventTypes.ToolFailed);

        (await store.ListAsync(new ActivityQuery { Types = [EventTypes.ToolFailed], Project = "p1" })).Events.Should().HaveCount(2);
        (await store.ListAsync(new ActivityQuery { MinLevel = EventLevel.Warn })).Events.Should().OnlyContain(e => e.Type == EventTypes.ToolFailed);
        (await store.ListAsync(new ActivityQuery { Since = T0.AddMinutes(2), Until = T0.AddMinutes(4) })).Events.Should().HaveCount(3);
        var first = (await store.ListAsync(new ActivityQuery { Run = "r1", Limit = 1 })).Events.Single();
        first.Timestamp.Should().Be("2026-05-18T10:05:00.000Z");
        first.Source.Should().Be(EventCatalog.SourceOf(EventTypes.ToolFailed));
        first.Data.Should().Contain("\"error\":\"conflict\"");
        first.Rank.Should().BeNull();
    }

    [BackendFact]
    public async Task SearchAsync_Words_FindsEveryMatchRankedAndFiltered()
    {
        var store = await SeedAsync(
            Failed("grep", "connection timeout while reading", 1),
            Failed("grep", "timeout", 2, session: "s2"),
            Called("read_file", 3),
            Failed("deploy", "permission denied", 4));

        var hits = await store.SearchAsync("timeout", new ActivityQuery());
        hits.FtsEnabled.Should().BeTrue();
        hits.Events.Should().HaveCount(2);
        hits.Events.Should().OnlyContain(e => e.Rank != null);
        hits.Events.Select(e => e.Rank!.Value).Should().BeInAscendingOrder();

        (await store.SearchAsync("timeout", new ActivityQuery { Session = "s2" })).Events.Should().ContainSingle().Which.Session.Should().Be("s2");
        (await store.SearchAsync("connection timeout", new ActivityQuery())).Events.Should().ContainSingle();
        (await store.SearchAsync("\"permission denied\"", new ActivityQuery())).Events.Should().ContainSingle();
        (await store.SearchAsync("\"denied permission\"", new ActivityQuery())).Events.Should().BeEmpty();
        (await store.SearchAsync("perm*", new ActivityQuery())).Events.Should().ContainSingle();
        (await store.SearchAsync("nothing_like_this", new ActivityQuery())).Events.Should().BeEmpty();
    }

    [BackendFact]
    public async Task SearchAsync_OperatorsAndSql_AreJustWords()
    {
        var store = await SeedAsync(Failed("grep", "drop table users", 1), Failed("grep", "unrelated", 2));

        (await store.SearchAsync("'; DROP TABLE users; --", new ActivityQuery())).Events.Should().ContainSingle();
        (await store.SearchAsync("grep OR & | ! :*", new ActivityQuery())).Events.Should().BeEmpty();
        (await store.SearchAsync("   ", new ActivityQuery())).Events.Should().BeEmpty();
        (await store.ListAsync(new ActivityQuery())).Events.Should().HaveCount(2);
    }

    [BackendFact]
    public async Task GetStatsAsync_Window_CountsByTypeSourceLevelAndHour()
    {
        var store = await SeedAsync(
            Failed("grep", "timeout", 1),
            Failed("grep", "timeout", 70),
            Called("read_file", 2),
            Called("read_file", 3),
            Called("read_file", 4));

        var stats = await store.GetStatsAsync(new ActivityQuery { Since = T0, Until = T0.AddHours(2) });

        stats.Total.Should().Be(5);
        stats.Oldest.Should().Be(T0.AddMinutes(1));
        stats.Newest.Should().Be(T0.AddMinutes(70));
        stats.ByType.Should().Equal(new ActivityCount(EventTypes.ToolCalled, 3), new ActivityCount(EventTypes.ToolFailed, 2));
        stats.ByLevel.Sum(c => c.Count).Should().Be(5);
        stats.BySource.Sum(c => c.Count).Should().Be(5);
        stats.Hourly.Should().HaveCount(3);
        stats.Hourly.Select(h => h.Count).Should().Equal(4, 1, 0);
        stats.DroppedEventCount.Should().Be(0);
    }
}

/// <summary>The activity store contract on SQLite.</summary>
public sealed class SqliteActivityStoreContractTests : ActivityStoreContractTests
{
    private readonly TempDirectory _dir = new("reyn-pg-contract-activity");

    private ActivityStoreOptions Options => new() { Retention = TimeSpan.Zero };

    protected override IFlushableEventSink CreateSink() => new ActivitySink(_dir.Combine("events.db"), Options, Time);

    protected override IActivityStore CreateStore() => new SqliteActivityStore(_dir.Combine("events.db"), Options, Time);

    protected override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The activity store contract on PostgreSQL.</summary>
public sealed class PostgresActivityStoreContractTests : ActivityStoreContractTests, IRequiresPostgres
{
    private readonly string _schema = PostgresServer.NewSchema();

    protected override IFlushableEventSink CreateSink() =>
        new PostgresActivitySink(new ReynPostgreSqlOptions { ConnectionString = PostgresServer.ConnectionString, Schema = _schema, ActivityRetention = TimeSpan.Zero }, Time);

    protected override IActivityStore CreateStore() => new PostgresActivityStore(PostgresServer.ConnectionString!, _schema, Time);

    protected override Task CleanupAsync()
    {
        PostgresServer.DropSchema(_schema);
        return Task.CompletedTask;
    }
}
