using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Benchmarks.ActivityStore;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// Ingest of the same events into the SQLite activity store (baseline) and the PostgreSQL one (binary COPY per batch),
/// each through its sink, from an empty store.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class PostgresIngestBenchmarks
{
    private const int EventCount = 20_000;
    private ReynEvent[] _events = [];
    private string _dir = string.Empty;
    private string _path = string.Empty;
    private string _schema = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _events = ActivityEventGenerator.Generate(EventCount, DateTimeOffset.UtcNow.AddHours(-2));
        _dir = Path.Combine(Path.GetTempPath(), "reyn-bench-pg-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [IterationSetup]
    public void FreshStores()
    {
        SqliteConnection.ClearAllPools();
        _path = Path.Combine(_dir, "events-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        if (_schema.Length > 0)
        {
            BenchPostgres.DropSchema(_schema);
        }

        _schema = BenchPostgres.NewSchema();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        BenchPostgres.DropSchema(_schema);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public async Task SqliteSink()
    {
        await using var sink = new ActivitySink(_path, new ActivityStoreOptions { QueueCapacity = EventCount + 16, Retention = TimeSpan.Zero });
        foreach (var e in _events)
        {
            sink.Write(e);
        }

        await sink.FlushAsync();
        Check(sink.WrittenCount);
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public async Task PostgresSink()
    {
        await using var sink = new PostgresActivitySink(new ReynPostgreSqlOptions
        {
            ConnectionString = BenchPostgres.ConnectionString,
            Schema = _schema,
            QueueCapacity = EventCount + 16,
            ActivityRetention = TimeSpan.Zero,
        });
        foreach (var e in _events)
        {
            sink.Write(e);
        }

        await sink.FlushAsync();
        Check(sink.WrittenCount);
    }

    private static void Check(long written)
    {
        if (written != EventCount)
        {
            throw new InvalidOperationException($"wrote {written} of {EventCount}");
        }
    }
}
