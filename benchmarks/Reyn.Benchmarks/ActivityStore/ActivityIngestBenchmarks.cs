using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.ActivityStore.Internal;
using SQLitePCL;

namespace Reyn.Benchmarks.ActivityStore;

/// <summary>
/// Ingest into the activity store with FTS5 on: <see cref="ActivitySink"/> (bounded queue, background writer, one
/// transaction per batch) against the reference design, one commit per event on the same schema, WAL and
/// <c>synchronous=NORMAL</c>. Each invocation writes <see cref="EventCount"/> events into a fresh file (opening and
/// creating the schema included); results are per event (<c>OperationsPerInvoke</c>). Five warm-up invocations let
/// tiered compilation finish first: with one, the measured iterations still ran partly unoptimized code. A third case
/// times SQLite alone on the same rows, already encoded: the floor under the sink on the machine.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 7, invocationCount: 1)]
public class ActivityIngestBenchmarks
{
    private const int EventCount = 20_000;
    private ReynEvent[] _events = [];
    private Utf8ActivityRows _encoded = null!;
    private string _dir = string.Empty;
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _events = ActivityEventGenerator.Generate(EventCount, DateTimeOffset.UtcNow.AddHours(-1));
        _encoded = new Utf8ActivityRows();
        _encoded.Encode(_events);
        _dir = Path.Combine(Path.GetTempPath(), "reyn-bench-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [IterationSetup]
    public void FreshFile()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dir))
        {
            File.Delete(file);
        }

        _path = Path.Combine(_dir, "events-" + Guid.NewGuid().ToString("N")[..8] + ".db");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        _encoded.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Reyn: emit-side <c>Write</c> of every event, then one flush (everything committed).</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public async Task BatchedSink()
    {
        await using var sink = new ActivitySink(_path, new ActivityStoreOptions { QueueCapacity = EventCount + 16 });
        foreach (var e in _events)
        {
            sink.Write(e);
        }

        await sink.FlushAsync();
        if (sink.WrittenCount != EventCount)
        {
            throw new InvalidOperationException($"wrote {sink.WrittenCount} of {EventCount}");
        }
    }

    /// <summary>
    /// The reference design: one event per commit, same schema and FTS index (the row INSERT and its index INSERT in
    /// one transaction per event, so the index stays consistent as it would with an indexing trigger).
    /// </summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public void OneInsertPerEventAutocommit()
    {
        using var connection = OpenStore(writerPragmas: false);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO activity_events (ts_epoch, ts, project, agent, session_id, run_id, source, type, level, summary, data)
            VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k) RETURNING id;
            """;
        var p = new SqliteParameter[11];
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = insert.CreateParameter();
            p[i].ParameterName = "$" + (char)('a' + i);
            insert.Parameters.Add(p[i]);
        }

        using var index = connection.CreateCommand();
        index.CommandText = "INSERT INTO activity_events_fts(rowid, summary, body) VALUES ($id, $s, $b);";
        var id = index.Parameters.Add("$id", SqliteType.Integer);
        var summary = index.Parameters.Add("$s", SqliteType.Text);
        var body = index.Parameters.Add("$b", SqliteType.Text);
        using var row = new Utf8ActivityRows();
        foreach (var e in _events)
        {
            row.Clear();
            row.Add(e);
            p[0].Value = row.TimestampMs(0);
            for (var column = ActivityColumn.Timestamp; column <= ActivityColumn.Data; column++)
            {
                p[1 + (int)column].Value = (object?)row.GetString(0, column) ?? DBNull.Value;
            }

            using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            index.Transaction = tx;
            id.Value = (long)insert.ExecuteScalar()!;
            summary.Value = row.GetString(0, ActivityColumn.Summary);
            body.Value = row.GetString(0, ActivityColumn.Body);
            index.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <summary>
    /// SQLite's own share of <see cref="BatchedSink"/>: the same rows already encoded (outside the timing), bound as
    /// UTF-8 to the same prepared statements, the same batches (rows, then their FTS rows, one transaction per
    /// <see cref="ActivityStoreOptions.BatchSize"/>) and pragmas. No queue, no encoding, no thread: the most any writer of
    /// this schema could get out of SQLite on the machine.
    /// </summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public void SqliteAlonePreEncodedRows()
    {
        using var connection = OpenStore(writerPragmas: true);
        var db = connection.Handle!;
        raw.sqlite3_prepare_v3(db, "INSERT INTO activity_events (id, ts_epoch, ts, project, agent, session_id, run_id, source, type, level, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);", raw.SQLITE_PREPARE_PERSISTENT, out var insertRow);
        raw.sqlite3_prepare_v3(db, "INSERT INTO activity_events_fts (rowid, summary, body) VALUES (?, ?, ?);", raw.SQLITE_PREPARE_PERSISTENT, out var insertIndexRow);
        using (insertRow)
        using (insertIndexRow)
        {
            var batchSize = new ActivityStoreOptions().BatchSize;
            for (var first = 0; first < EventCount; first += batchSize)
            {
                var end = Math.Min(EventCount, first + batchSize);
                using var tx = connection.BeginTransaction(deferred: false);
                for (var row = first; row < end; row++)
                {
                    raw.sqlite3_bind_int64(insertRow, 1, row + 1);
                    raw.sqlite3_bind_int64(insertRow, 2, _encoded.TimestampMs(row));
                    for (var column = ActivityColumn.Timestamp; column <= ActivityColumn.Data; column++)
                    {
                        _ = _encoded.IsNull(row, column) ? raw.sqlite3_bind_null(insertRow, 3 + (int)column) : raw.sqlite3_bind_text(insertRow, 3 + (int)column, _encoded.Text(row, column));
                    }

                    Step(db, insertRow);
                }

                for (var row = first; row < end; row++)
                {
                    raw.sqlite3_bind_int64(insertIndexRow, 1, row + 1);
                    raw.sqlite3_bind_text(insertIndexRow, 2, _encoded.Text(row, ActivityColumn.Summary));
                    raw.sqlite3_bind_text(insertIndexRow, 3, _encoded.Text(row, ActivityColumn.Body));
                    Step(db, insertIndexRow);
                }

                tx.Commit();
            }
        }
    }

    /// <summary>Opens the fresh file with every connection's pragmas (and, for a writer, its cache pragmas) and creates the schema.</summary>
    private SqliteConnection OpenStore(bool writerPragmas)
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout = 3000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;" +
                (writerPragmas ? " PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;" : string.Empty);
            pragmas.ExecuteNonQuery();
        }

        ActivitySchema.Ensure(connection, _path, fullTextSearch: true);
        return connection;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException(raw.sqlite3_errmsg(db).utf8_to_string());
        }

        raw.sqlite3_reset(statement);
    }
}
