using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Benchmarks.ActivityStore;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// Symptom search ("timed out", newest 50 by relevance) and a session listing over the same <see cref="EventCount"/>
/// events in the SQLite activity store (baseline) and the PostgreSQL one.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class PostgresSearchBenchmarks
{
    /// <summary>Events loaded into both stores (the issue asks for 1,000,000; see benchmarks/README.md for the N used).</summary>
    public const int EventCount = 100_000;

    private string _dir = string.Empty;
    private string _schema = string.Empty;
    private SqliteActivityStore _sqlite = null!;
    private PostgresActivityStore _postgres = null!;
    private readonly ActivityQuery _query = new() { Limit = 50 };
    private readonly ActivityQuery _session = new() { Session = "sess-42", Limit = 50 };

    [GlobalSetup]
    public async Task Setup()
    {
        var events = ActivityEventGenerator.Generate(EventCount, DateTimeOffset.UtcNow.AddDays(-1));
        _dir = Path.Combine(Path.GetTempPath(), "reyn-bench-pg-search-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "events.db");
        _schema = BenchPostgres.NewSchema();
        await using (var sqliteSink = new ActivitySink(path, new ActivityStoreOptions { QueueCapacity = EventCount + 16, Retention = TimeSpan.Zero }))
        await using (var pgSink = new PostgresActivitySink(new ReynPostgreSqlOptions
        {
            ConnectionString = BenchPostgres.ConnectionString,
            Schema = _schema,
            QueueCapacity = EventCount + 16,
            ActivityRetention = TimeSpan.Zero,
        }))
        {
            foreach (var e in events)
            {
                sqliteSink.Write(e);
                pgSink.Write(e);
            }

            await sqliteSink.FlushAsync();
            await pgSink.FlushAsync();
            if (sqliteSink.WrittenCount != EventCount || pgSink.WrittenCount != EventCount)
            {
                throw new InvalidOperationException($"loaded {sqliteSink.WrittenCount} / {pgSink.WrittenCount} of {EventCount}");
            }
        }

        _sqlite = new SqliteActivityStore(path, new ActivityStoreOptions { Retention = TimeSpan.Zero });
        _postgres = new PostgresActivityStore(BenchPostgres.ConnectionString, _schema);
        using var analyze = new Npgsql.NpgsqlConnection(BenchPostgres.ConnectionString);
        analyze.Open();
        using var command = new Npgsql.NpgsqlCommand($"ANALYZE {_schema}.activity_events", analyze);
        command.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _postgres.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        BenchPostgres.DropSchema(_schema);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("search")]
    public async Task<int> SqliteSearch() => (await _sqlite.SearchAsync("timed out", _query)).Events.Count;

    [Benchmark]
    [BenchmarkCategory("search")]
    public async Task<int> PostgresSearch() => (await _postgres.SearchAsync("timed out", _query)).Events.Count;

    [Benchmark]
    [BenchmarkCategory("list")]
    public async Task<int> SqliteSessionList() => (await _sqlite.ListAsync(_session)).Events.Count;

    [Benchmark]
    [BenchmarkCategory("list")]
    public async Task<int> PostgresSessionList() => (await _postgres.ListAsync(_session)).Events.Count;
}
