using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Reyn.Index;

namespace Reyn.Benchmarks.Index;

/// <summary>
/// The seed's claim made measurable: "failures in the verify phase of skill X last week" answered by recall over the
/// events index against a linear scan of the JSONL audit log, same machine, same 10,000 runs (~540,000 events).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(IndexFastBenchConfig))]
public class FailureQueryBenchmarks
{
    private const string Skill = "skill_09";
    private string _root = "";
    private Recall _recall = null!;
    private DateTimeOffset _weekAgo;

    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await an async [GlobalSetup], so the
    // benchmarks would start before the data exists.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "reyn-bench-failures-" + Guid.NewGuid().ToString("N")[..8]);
        var now = DateTimeOffset.UtcNow;
        _weekAgo = now.AddDays(-7);
        IndexBenchData.WriteEventLog(_root, IndexEventsBenchmarks.Runs, now);
        var backend = new SqliteIndexBackend(Path.Combine(_root, "index"));
        await new EventIndexer(backend, _root).IndexAsync();
        _recall = new Recall(backend);
        var viaRecall = await Recall();
        var viaScan = ReynStreamingScan();
        if (viaRecall != viaScan || viaScan == 0)
        {
            throw new InvalidOperationException($"recall found {viaRecall} runs, the scan {viaScan}: the benchmark would compare different answers.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "Reyn recall (index, filters skill/status/time)")]
    public async Task<int> Recall()
    {
        var result = await _recall.RecallAsync(new RecallRequest
        {
            Sources = ["events"],
            Query = "failures in the verify phase",
            TopK = 100,
            Filter = new IndexFilter { Skill = Skill, Status = RunStatuses.Failed, From = _weekAgo },
        });
        var n = 0;
        foreach (var hit in result.Hits)
        {
            if (hit.Metadata.Extra.TryGetValue("failed_phase", out var phase) && phase == "verify")
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(Description = "Linear scan, Reyn streaming reader (Utf8JsonReader)")]
    public int ReynStreamingScan()
    {
        var n = 0;
        foreach (var run in new EventRunReader(Path.Combine(_root, "events")).ReadCompletedRuns())
        {
            if (run.Skill == Skill && run.Status == RunStatuses.Failed && run.FailedPhase == "verify" && run.Timestamp >= _weekAgo)
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(Baseline = true, Description = "Linear scan, File.ReadLines + JsonDocument")]
    public int NaiveScan()
    {
        var started = new Dictionary<string, DateTimeOffset>();
        var failedInVerify = new HashSet<string>();
        var n = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(_root, "events"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                using var doc = JsonDocument.Parse(line);
                var type = doc.RootElement.GetProperty("type").GetString();
                var data = doc.RootElement.GetProperty("data");
                if (data.GetProperty("skill").GetString() != Skill)
                {
                    continue;
                }

                var runId = data.GetProperty("run_id").GetString()!;
                switch (type)
                {
                    case "run_skill_started":
                        started[runId] = doc.RootElement.GetProperty("timestamp").GetDateTimeOffset();
                        break;
                    case "phase_failed" when data.GetProperty("phase").GetString() == "verify":
                        failedInVerify.Add(runId);
                        break;
                    case "run_skill_completed" when failedInVerify.Contains(runId) && started.TryGetValue(runId, out var t) && t >= _weekAgo:
                        n++;
                        break;
                }
            }
        }

        return n;
    }
}
