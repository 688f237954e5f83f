using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Reyn.Index;

namespace Reyn.Benchmarks.Index;

/// <summary>
/// index_events over 10,000 runs (~54 events each, 100 session files): Reyn's streaming indexer (parse, chunk, write
/// to SQLite FTS5) against what a user would write first: read every file into memory and parse each line with
/// JsonDocument, grouping by run id (parsing only, no index written).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(IndexBenchConfig))]
public class IndexEventsBenchmarks
{
    public const int Runs = 10_000;
    private string _root = "";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "reyn-bench-index-events-" + Guid.NewGuid().ToString("N")[..8]);
        IndexBenchData.WriteEventLog(_root, Runs, DateTimeOffset.UtcNow);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "Reyn EventIndexer (stream + index, replace)")]
    public async Task<int> ReynIndexEvents()
    {
        var indexer = new EventIndexer(new SqliteIndexBackend(Path.Combine(_root, "index")), _root);
        var result = await indexer.IndexAsync(new IndexEventsRequest { Mode = IndexEventsMode.Replace });
        return result.IndexedRuns == Runs ? result.IndexedRuns : throw new InvalidOperationException($"indexed {result.IndexedRuns}");
    }

    [Benchmark(Baseline = true, Description = "Naive: ReadAllLines + JsonDocument, group by run (no index)")]
    public int NaiveParseAll()
    {
        var runs = new Dictionary<string, List<JsonDocument>>();
        foreach (var file in Directory.GetFiles(Path.Combine(_root, "events"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var doc = JsonDocument.Parse(line);
                var runId = doc.RootElement.GetProperty("data").GetProperty("run_id").GetString()!;
                if (!runs.TryGetValue(runId, out var list))
                {
                    runs[runId] = list = [];
                }

                list.Add(doc);
            }
        }

        var count = runs.Count;
        foreach (var list in runs.Values)
        {
            foreach (var doc in list)
            {
                doc.Dispose();
            }
        }

        return count;
    }
}
