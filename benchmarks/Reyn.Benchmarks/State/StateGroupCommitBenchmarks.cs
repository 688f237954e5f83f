using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.State;

namespace Reyn.Benchmarks.State;

/// <summary>
/// Group commit: 64 concurrent appenders in Always mode vs one appender (goal: at least 30x the rate) and vs SQLite
/// in WAL mode with synchronous=FULL inserting the same records one transaction each (goal: at least 10x).
/// </summary>
[Config(typeof(StateBenchmarkConfig))]
public class StateGroupCommitBenchmarks
{
    private const int Writers = 64;
    private const int PerWriter = 10;
    private const int Records = Writers * PerWriter;
    private string _dir = string.Empty;
    private FileStateLog _log = null!;
    private EventData[] _fields = [];
    private SqliteConnection _sqlite = null!;
    private SqliteCommand _insert = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StateBenchmarkRecords.TempDirectory("group");
        _log = FileStateLog.Open(new FileStateLogOptions { Path = Path.Combine(_dir, "wal.jsonl"), Durability = DurabilityMode.Always });
        _fields = Enumerable.Range(0, Writers).Select(_ => StateBenchmarkRecords.Fields()).ToArray();
        _sqlite = new SqliteConnection($"Data Source={Path.Combine(_dir, "wal.db")};Pooling=false");
        _sqlite.Open();
        using (var pragma = _sqlite.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE wal(seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL, fields TEXT NOT NULL);";
            pragma.ExecuteNonQuery();
        }

        _insert = _sqlite.CreateCommand();
        _insert.CommandText = "INSERT INTO wal(ts, kind, fields) VALUES ($ts, $kind, $fields)";
        _insert.Parameters.AddWithValue("$ts", "2026-11-22T03:00:00.1234567Z");
        _insert.Parameters.AddWithValue("$kind", "step_completed");
        _insert.Parameters.AddWithValue("$fields", "{\"run_id\":\"run-7f3a9c\",\"phase\":\"act\",\"op_invocation_id\":\"act.op.12\",\"op_kind\":\"file_write\",\"args_hash\":\"9f86d081884c7d65\",\"result\":\"ok: wrote 4,096 bytes to workspace/out.md\"}");
        _insert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _insert.Dispose();
        _sqlite.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>One appender awaiting each durable append.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public async Task ReynAlwaysSingleAppender()
    {
        for (var i = 0; i < Records; i++)
        {
            await _log.AppendAsync(WalKinds.StepCompleted, _fields[0]).ConfigureAwait(false);
        }
    }

    /// <summary>64 appenders, each awaiting its own durable appends; waiting appenders share one sync.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public Task ReynAlways64ConcurrentAppenders()
    {
        var tasks = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            var fields = _fields[w];
            tasks[w] = Task.Run(async () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    await _log.AppendAsync(WalKinds.StepCompleted, fields).ConfigureAwait(false);
                }
            });
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>SQLite, WAL journal, synchronous=FULL, one transaction (autocommit) per record.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public void SqliteWalFullOneTransactionEach()
    {
        for (var i = 0; i < Records; i++)
        {
            _insert.ExecuteNonQuery();
        }
    }
}
