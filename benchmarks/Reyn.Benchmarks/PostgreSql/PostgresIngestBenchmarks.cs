using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Benchmarks.ActivityStore;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.ActivityStore.Internal;
using Reyn.PostgreSql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// Ingest of the same <see cref="EventCount"/> events into the SQLite activity store (baseline) and the PostgreSQL one
/// (binary COPY per batch of 1,024), each through its sink, into a store whose schema exists but holds no rows.
/// <see cref="Writers"/> sinks write at once (each a share of the events), as separate processes or hosts would: on
/// SQLite they take turns on the file's write lock, on PostgreSQL each has its own connection. Results are per event
/// (<c>OperationsPerInvoke</c>); events/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PostgresIngestBenchConfig))]
public class PostgresIngestBenchmarks
{
    private const int EventCount = 20_000;
    private ReynEvent[][] _slices = [];
    private string _dir = string.Empty;
    private string _path = string.Empty;
    private string _schema = string.Empty;

    /// <summary>Sinks writing at once.</summary>
    [Params(1, 4)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var events = ActivityEventGenerator.Generate(EventCount, DateTimeOffset.UtcNow.AddHours(-2));
        _slices = new ReynEvent[Writers][];
        for (var w = 0; w < Writers; w++)
        {
            _slices[w] = events[(w * EventCount / Writers)..((w + 1) * EventCount / Writers)];
        }

        _dir = Path.Combine(Path.GetTempPath(), "reyn-bench-pg-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [IterationSetup]
    public void FreshStores()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dir))
        {
            File.Delete(file);
        }

        _path = Path.Combine(_dir, "events-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        ActivityWriter.Open(_path, new ActivityStoreOptions()).Dispose();
        if (_schema.Length > 0)
        {
            BenchPostgres.DropSchema(_schema);
        }

        _schema = BenchPostgres.NewSchema();
        var store = new PostgresActivityStore(BenchPostgres.ConnectionString, _schema);
        try
        {
            store.EnsureSchemaAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        BenchPostgres.DropSchema(_schema);
    }

    /// <summary>SQLite: <see cref="ActivitySink"/> per writer on one file (WAL, <c>synchronous=NORMAL</c>, FTS5).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public async Task SqliteSink()
    {
        var sinks = new ActivitySink[Writers];
        for (var w = 0; w < Writers; w++)
        {
            sinks[w] = new ActivitySink(_path, new ActivityStoreOptions { QueueCapacity = EventCount + 16, Retention = TimeSpan.Zero });
        }

        await WriteAllAsync(sinks);
        var written = 0L;
        foreach (var sink in sinks)
        {
            written += sink.WrittenCount;
            await sink.DisposeAsync();
        }

        Check(written, sinks[0].LastError);
    }

    /// <summary>PostgreSQL: <see cref="PostgresActivitySink"/> per writer (own connection pool), binary COPY per batch.</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public async Task PostgresSink()
    {
        var sinks = new PostgresActivitySink[Writers];
        for (var w = 0; w < Writers; w++)
        {
            sinks[w] = new PostgresActivitySink(new ReynPostgreSqlOptions
            {
                ConnectionString = BenchPostgres.ConnectionString,
                Schema = _schema,
                QueueCapacity = EventCount + 16,
                ActivityRetention = TimeSpan.Zero,
            });
        }

        await WriteAllAsync(sinks);
        var written = 0L;
        foreach (var sink in sinks)
        {
            written += sink.WrittenCount;
            await sink.DisposeAsync();
        }

        Check(written, sinks[0].LastError);
    }

    private async Task WriteAllAsync(IFlushableEventSink[] sinks)
    {
        for (var w = 0; w < sinks.Length; w++)
        {
            foreach (var e in _slices[w])
            {
                sinks[w].Write(e);
            }
        }

        var flushes = new Task[sinks.Length];
        for (var w = 0; w < sinks.Length; w++)
        {
            flushes[w] = sinks[w].FlushAsync().AsTask();
        }

        await Task.WhenAll(flushes);
    }

    private static void Check(long written, string? lastError)
    {
        if (written != EventCount)
        {
            throw new InvalidOperationException($"wrote {written} of {EventCount}: {lastError}");
        }
    }
}
