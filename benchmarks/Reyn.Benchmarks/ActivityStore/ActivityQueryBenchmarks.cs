using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Events.ActivityStore;

namespace Reyn.Benchmarks.ActivityStore;

/// <summary>
/// Queries over a store of 1,000,000 generated events (<see cref="ActivityEventGenerator"/>): a two-word symptom search
/// with limit 50 and a session-filtered list, each side by side with the reference design's query on the same file
/// (BM25 over every match; <c>ORDER BY ts_epoch DESC</c>). The store is built once through <see cref="ActivitySink"/>
/// into a temp file and reused by later runs (delete it to rebuild).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ActivityQueryBenchmarks
{
    private const int EventCount = 1_000_000;
    private static readonly string StorePath = Path.Combine(Path.GetTempPath(), "reyn-bench-activity-1m-v2.db");
    private SqliteActivityStore _store = null!;
    private SqliteActivityStore _unbounded = null!;
    private SqliteConnection _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(StorePath))
        {
            var events = ActivityEventGenerator.Generate(EventCount, DateTimeOffset.UtcNow.AddDays(-3));
            var sink = new ActivitySink(StorePath, new ActivityStoreOptions { QueueCapacity = EventCount + 16, BatchSize = 4096, Retention = TimeSpan.Zero });
            foreach (var e in events)
            {
                sink.Write(e);
            }

            sink.FlushAsync().AsTask().GetAwaiter().GetResult();
            sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (sink.WrittenCount != EventCount)
            {
                File.Delete(StorePath);
                throw new InvalidOperationException($"built {sink.WrittenCount} of {EventCount} events: {sink.LastError}");
            }
        }

        _store = new SqliteActivityStore(StorePath, new ActivityStoreOptions { Retention = TimeSpan.Zero });
        _unbounded = new SqliteActivityStore(StorePath, new ActivityStoreOptions { Retention = TimeSpan.Zero, SearchCandidateWindow = 0 });
        _connection = new SqliteConnection($"Data Source={StorePath}");
        _connection.Open();
    }

    [GlobalCleanup]
    public void Cleanup() => _connection.Dispose();

    /// <summary>Reyn: symptom search, limit 50, BM25 over the candidate window.</summary>
    [Benchmark]
    public async Task<int> Search_TwoWordSymptom() =>
        (await _store.SearchAsync("review fetch", new ActivityQuery { Limit = 50 })).Events.Count;

    /// <summary>Reference: the same search ranking every match (<c>ORDER BY rank LIMIT 50</c>).</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Search_TwoWordSymptom_RankEveryMatch() =>
        (await _unbounded.SearchAsync("review fetch", new ActivityQuery { Limit = 50 })).Events.Count;

    /// <summary>Reyn: list with a session filter, limit 50, newest first by id.</summary>
    [Benchmark]
    public async Task<int> List_Session() =>
        (await _store.ListAsync(new ActivityQuery { Session = "sess-1717", Limit = 50 })).Events.Count;

    /// <summary>Reference: the same list ordered by <c>ts_epoch DESC</c> (sorts every row of the session).</summary>
    [Benchmark]
    public int List_Session_OrderByTimestamp()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, ts_epoch, ts, project, session_id, source, type, level, summary, data FROM activity_events WHERE session_id = $s ORDER BY ts_epoch DESC LIMIT 50;";
        command.Parameters.AddWithValue("$s", "sess-1717");
        using var reader = command.ExecuteReader();
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }
}
