using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql.Tests.Support;
using Reyn.Testing;

namespace Reyn.PostgreSql.Tests.ActivityStore;

public sealed class PostgresActivityRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly ManualTimeProvider _time = new(Now);

    public void Dispose()
    {
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }

    [PostgresFact]
    public async Task ApplyRetentionAsync_DailyPartitions_DropsWholeExpiredDaysAndKeepsTheRest()
    {
        await SeedAsync(ActivityPartitioning.Day, [.. new[] { 5, 4, 4, 3, 1, 0 }.Select(d => Now.AddDays(-d))]);
        await using var store = new PostgresActivityStore(PostgresServer.ConnectionString!, _schema, _time);
        (await store.GetPartitionsAsync()).Should().Equal(Days(15, 16, 17, 19, 20));
        await using var sink = new PostgresActivitySink(Options(ActivityPartitioning.Day, TimeSpan.FromDays(2)), _time);

        // Partitions are dropped whole: the day that ends after the cutoff (2026-05-18 12:00) would be kept entirely.
        var dropped = await sink.ApplyRetentionAsync();

        dropped.Should().Be(4);
        (await store.GetPartitionsAsync()).Should().Equal(Days(19, 20));
        var stats = await store.GetStatsAsync(new ActivityQuery { Since = Now.AddDays(-10), Until = Now });
        stats.Total.Should().Be(2);
        stats.Oldest.Should().Be(Now.AddDays(-1));
    }

    [PostgresFact]
    public async Task Write_RetentionDue_SinkDropsExpiredPartitionsByItself()
    {
        await SeedAsync(ActivityPartitioning.Day, Now.AddDays(-4), Now.AddDays(-1));
        await using var sink = new PostgresActivitySink(Options(ActivityPartitioning.Day, TimeSpan.FromDays(2)), _time);

        sink.Write(Event(Now));
        await sink.FlushAsync();

        await using var store = new PostgresActivityStore(PostgresServer.ConnectionString!, _schema, _time);
        (await store.GetPartitionsAsync()).Should().Equal(Days(19, 20));
        sink.RetiredCount.Should().Be(1);
        sink.WrittenCount.Should().Be(1);
    }

    [PostgresFact]
    public async Task ApplyRetentionAsync_WeeklyPartitions_DropsOnlyWeeksThatEndedBeforeTheCutoff()
    {
        // Weeks of Mon 2026-05-04, Mon 2026-05-11 (ends 05-18, after the cutoff 05-13 12:00) and Mon 2026-05-18.
        await SeedAsync(ActivityPartitioning.Week, Now.AddDays(-16), Now.AddDays(-9), Now);
        await using var store = new PostgresActivityStore(PostgresServer.ConnectionString!, _schema, _time);
        (await store.GetPartitionsAsync()).Should().Equal(Days(4, 11, 18));
        await using var sink = new PostgresActivitySink(Options(ActivityPartitioning.Week, TimeSpan.FromDays(7)), _time);

        (await sink.ApplyRetentionAsync()).Should().Be(1);

        (await store.GetPartitionsAsync()).Should().Equal(Days(11, 18));
    }

    [PostgresFact]
    public async Task Write_ServerUnreachable_DropsAndCountsWithoutThrowing()
    {
        var options = new ReynPostgreSqlOptions { ConnectionString = "Host=127.0.0.1;Port=1;Timeout=2;Database=none;Username=none", Schema = _schema };
        await using var sink = new PostgresActivitySink(options, _time);

        sink.Write(Event(Now));
        await sink.FlushAsync();

        sink.DroppedCount.Should().Be(1);
        sink.LastError.Should().Contain("failed");
    }

    private async Task SeedAsync(ActivityPartitioning partitioning, params DateTimeOffset[] times)
    {
        await using var seeder = new PostgresActivitySink(Options(partitioning, TimeSpan.Zero), _time);
        foreach (var at in times)
        {
            seeder.Write(Event(at));
        }

        await seeder.FlushAsync();
        seeder.WrittenCount.Should().Be(times.Length);
    }

    private static DateTime[] Days(params int[] mayDays) => [.. mayDays.Select(d => new DateTime(2026, 5, d, 0, 0, 0, DateTimeKind.Utc))];

    private ReynPostgreSqlOptions Options(ActivityPartitioning partitioning, TimeSpan retention) => new()
    {
        ConnectionString = PostgresServer.ConnectionString,
        Schema = _schema,
        ActivityPartitioning = partitioning,
        ActivityRetention = retention,
        RetentionInterval = TimeSpan.FromDays(365),
    };

    private static ReynEvent Event(DateTimeOffset at) => new(EventTypes.ToolCalled, at, new EventData { ["op"] = "grep" });
}
