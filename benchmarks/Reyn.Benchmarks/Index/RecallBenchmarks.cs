using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Index;

namespace Reyn.Benchmarks.Index;

/// <summary>
/// recall on 100,000 run chunks: BM25 (in-memory ranking over FTS5's index, the default), the same with FTS5's own
/// <c>bm25()</c> (<see cref="SqliteIndexBackend.InMemoryBm25"/> off) and hybrid (BM25 + 384-dimension vectors, SIMD
/// cosine, RRF) against the query a user would otherwise write over the same SQLite table: <c>LIKE '%…%'</c> on each word.
/// </summary>
/// <remarks>Every iteration ranks in full: the in-memory index keeps per-term postings, never query results.</remarks>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(IndexFastBenchConfig))]
public class RecallBenchmarks
{
    public const int Chunks = 100_000;
    private const string QueryText = "test execution timeout in verify phase";

    // Identifiers are phrases of their '_'-separated words, as FTS5 matches them.
    private const string IdentifierQueryText = "skill_09 edit_file timeout";
    private string _root = "";
    private Recall _bm25 = null!;
    private Recall _bm25Fts5 = null!;
    private Recall _hybrid = null!;
    private string _dbPath = "";

    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await an async [GlobalSetup], so the
    // benchmarks would start before the data exists.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "reyn-bench-recall-" + Guid.NewGuid().ToString("N")[..8]);
        var backend = new SqliteIndexBackend(Path.Combine(_root, "index"));
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var batch = new List<IndexChunk>(2000);
        for (var i = 0; i < Chunks; i++)
        {
            var chunk = RunChunkFormat.ToChunk(IndexBenchData.Run(i, now, random));
            batch.Add(chunk with { Vector = IndexBenchData.Embed(chunk.Text), EmbeddingModel = HashingEmbeddingGenerator.Model });
            if (batch.Count == batch.Capacity)
            {
                await backend.UpsertAsync("events", batch);
                batch.Clear();
            }
        }

        await backend.UpsertAsync("events", batch);
        _dbPath = backend.GetDatabasePath("events");
        _bm25 = new Recall(backend);
        _bm25Fts5 = new Recall(new SqliteIndexBackend(Path.Combine(_root, "index")) { InMemoryBm25 = false });
        _hybrid = new Recall(backend, new HashingEmbeddingGenerator());
        await Hybrid(); // load the vector cache and the BM25 index once, as a long-lived host would have them
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "Reyn recall BM25 (in memory over FTS5's index), top 10")]
    public Task<int> Bm25() => TopTen(_bm25, QueryText);

    [Benchmark(Description = "Reyn recall BM25, FTS5 bm25() (no accelerator), top 10")]
    public Task<int> Bm25Fts5() => TopTen(_bm25Fts5, QueryText);

    [Benchmark(Description = "Reyn recall BM25 in memory, identifiers (phrases), top 10")]
    public Task<int> Bm25Identifiers() => TopTen(_bm25, IdentifierQueryText);

    [Benchmark(Description = "Reyn recall BM25, FTS5 bm25(), identifiers (phrases), top 10")]
    public Task<int> Bm25IdentifiersFts5() => TopTen(_bm25Fts5, IdentifierQueryText);

    [Benchmark(Description = "Reyn recall hybrid (BM25 + 384-d cosine, RRF), top 10")]
    public Task<int> Hybrid() => TopTen(_hybrid, QueryText);

    [Benchmark(Baseline = true, Description = "SQLite LIKE '%word%' scan, top 10")]
    public int LikeScan()
    {
        using var connection = new SqliteConnection($"Data Source={_dbPath}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, text FROM chunks WHERE text LIKE '%timeout%' AND text LIKE '%verify%' LIMIT 10";
        using var reader = cmd.ExecuteReader();
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    /// <summary>How many of the top 10 hits <paramref name="recall"/> returns for <paramref name="query"/> over the events source.</summary>
    private static async Task<int> TopTen(Recall recall, string query) =>
        (await recall.RecallAsync(new RecallRequest { Sources = ["events"], Query = query, TopK = 10 })).Hits.Count;
}
