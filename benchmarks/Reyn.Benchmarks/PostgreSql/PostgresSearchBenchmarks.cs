using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// Queries over the same 1,000,000 generated events in the SQLite activity store (baseline of each category) and the
/// PostgreSQL one (<see cref="PgVsSqliteDataset"/>: loaded once, kept between runs): a two-word symptom search with
/// limit 50, a session-filtered list with limit 50, and a search filtered by type and time (<c>since</c>).
/// </summary>
/// <remarks>
/// SQLite ranks (BM25) only the newest <see cref="ActivityStoreOptions.SearchCandidateWindow"/> matches by default
/// (2,000); PostgreSQL ranks every match. The <c>*_RankEveryMatch</c> SQLite cases answer exactly the PostgreSQL
/// question (window 0), so both comparisons are in the table.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PostgresQueryBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PostgresSearchBenchmarks
{
    /// <summary>The two-word symptom: matches about 1 event in 20 (the op <c>review_fetch</c> and "review ... fetch failed" errors).</summary>
    public const string Symptom = "review fetch";

    /// <summary>The filtered search's text.</summary>
    public const string FilteredText = "timed out";

    private readonly ActivityQuery _top50 = new() { Limit = 50 };
    private readonly ActivityQuery _session = new() { Session = "sess-1717", Limit = 50 };
    private readonly ActivityQuery _filtered = new()
    {
        Types = [EventTypes.ToolFailed],
        Since = PgVsSqliteDataset.Start.AddDays(2),
        Limit = 50,
    };

    private SqliteActivityStore _sqlite = null!;
    private SqliteActivityStore _sqliteRankAll = null!;
    private PostgresActivityStore _postgres = null!;

    [GlobalSetup]
    public void Setup()
    {
        PgVsSqliteDataset.EnsureLoaded();
        _sqlite = new SqliteActivityStore(PgVsSqliteDataset.SqlitePath, new ActivityStoreOptions { Retention = TimeSpan.Zero });
        _sqliteRankAll = new SqliteActivityStore(PgVsSqliteDataset.SqlitePath, new ActivityStoreOptions { Retention = TimeSpan.Zero, SearchCandidateWindow = 0 });
        _postgres = new PostgresActivityStore(BenchPostgres.ConnectionString, PgVsSqliteDataset.Schema);

        // Same answers from both stores, or the comparison is meaningless.
        Expect("symptom search", SqliteSearch(), PostgresSearch());
        Expect("session list", SqliteSessionList(), PostgresSessionList());
        Expect("filtered search", SqliteFilteredSearch(), PostgresFilteredSearch());
        var sqliteList = _sqlite.ListAsync(_session).AsTask().GetAwaiter().GetResult().Events;
        var postgresList = _postgres.ListAsync(_session).AsTask().GetAwaiter().GetResult().Events;
        for (var i = 0; i < sqliteList.Count; i++)
        {
            if (sqliteList[i].TimestampMs != postgresList[i].TimestampMs || sqliteList[i].Data != postgresList[i].Data)
            {
                throw new InvalidOperationException($"session list: row {i} differs between the stores ({sqliteList[i].Timestamp} vs {postgresList[i].Timestamp}); rebuild both with REYN_BENCH_RELOAD=1");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _postgres.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>SQLite: symptom search, limit 50, BM25 over the newest 2,000 matches (the default).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("search")]
    public int SqliteSearch() => Count(_sqlite.SearchAsync(Symptom, _top50));

    /// <summary>SQLite: the same search ranking every match (<c>SearchCandidateWindow = 0</c>), as PostgreSQL does.</summary>
    [Benchmark]
    [BenchmarkCategory("search")]
    public int SqliteSearch_RankEveryMatch() => Count(_sqliteRankAll.SearchAsync(Symptom, _top50));

    /// <summary>PostgreSQL: the same search, <c>ts_rank</c> over every match (GIN).</summary>
    [Benchmark]
    [BenchmarkCategory("search")]
    public int PostgresSearch() => Count(_postgres.SearchAsync(Symptom, _top50));

    /// <summary>SQLite: newest 50 events of one session (about 200 in the session).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("list")]
    public int SqliteSessionList() => Count(_sqlite.ListAsync(_session));

    /// <summary>PostgreSQL: the same list.</summary>
    [Benchmark]
    [BenchmarkCategory("list")]
    public int PostgresSessionList() => Count(_postgres.ListAsync(_session));

    /// <summary>SQLite: "timed out" among <c>tool_failed</c> events of the last ~21 hours, limit 50.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("filtered")]
    public int SqliteFilteredSearch() => Count(_sqlite.SearchAsync(FilteredText, _filtered));

    /// <summary>SQLite: the same, ranking every match.</summary>
    [Benchmark]
    [BenchmarkCategory("filtered")]
    public int SqliteFilteredSearch_RankEveryMatch() => Count(_sqliteRankAll.SearchAsync(FilteredText, _filtered));

    /// <summary>PostgreSQL: the same filtered search.</summary>
    [Benchmark]
    [BenchmarkCategory("filtered")]
    public int PostgresFilteredSearch() => Count(_postgres.SearchAsync(FilteredText, _filtered));

    private static int Count(ValueTask<ActivityPage> page) => page.AsTask().GetAwaiter().GetResult().Events.Count;

    private static void Expect(string what, int sqlite, int postgres)
    {
        if (sqlite != 50 || postgres != 50)
        {
            throw new InvalidOperationException($"{what}: expected 50 results from each store, got SQLite {sqlite}, PostgreSQL {postgres}");
        }
    }
}
