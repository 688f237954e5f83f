using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Reyn.Benchmarks.ActivityStore;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// The same <see cref="EventCount"/> generated events (<see cref="ActivityEventGenerator"/>, fixed start time and seed)
/// loaded once into a SQLite activity store file in the temp directory and into a PostgreSQL schema, both named after
/// <see cref="Version"/> and kept between runs (a store is reloaded only when its row count is not
/// <see cref="EventCount"/>, or when <c>REYN_BENCH_RELOAD=1</c>). Each load goes through the store's own sink, one store
/// after the other, and is timed: that is the "bulk load of 1,000,000 events" figure, printed and saved beside the
/// SQLite file (<see cref="ReportPath"/>).
/// </summary>
internal static class PgVsSqliteDataset
{
    /// <summary>Events in both stores.</summary>
    public const int EventCount = 1_000_000;

    /// <summary>Bump when the generator, the schema of either store or the load changes: both stores are rebuilt.</summary>
    public const string Version = "v1";

    /// <summary>The first event's time; events are 250 ms apart, so 1,000,000 span about 69.4 hours (three day partitions).</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The SQLite activity store file.</summary>
    public static readonly string SqlitePath = Path.Combine(Path.GetTempPath(), $"reyn-bench-pgvs-1m-{Version}.db");

    /// <summary>The PostgreSQL schema.</summary>
    public const string Schema = "bench_pgvs_1m_" + Version;

    /// <summary>Where the timings of the last bulk load are appended.</summary>
    public static readonly string ReportPath = Path.Combine(Path.GetTempPath(), $"reyn-bench-pgvs-1m-{Version}.load.txt");

    private static readonly object Gate = new();
    private static bool _checked;

    /// <summary>Loads whichever store is missing or incomplete (once per process; the in-process toolchain calls this per benchmark case).</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_checked)
            {
                return;
            }

            var reload = Environment.GetEnvironmentVariable("REYN_BENCH_RELOAD") == "1";
            var sqliteOk = !reload && SqliteCount() == EventCount;
            var postgresOk = !reload && PostgresCount() == EventCount;
            if (!sqliteOk || !postgresOk)
            {
                var events = ActivityEventGenerator.Generate(EventCount, Start);
                if (!sqliteOk)
                {
                    LoadSqlite(events);
                }

                if (!postgresOk)
                {
                    LoadPostgres(events);
                }
            }

            _checked = true;
        }
    }

    private static long SqliteCount()
    {
        if (!File.Exists(SqlitePath))
        {
            return -1;
        }

        using var connection = new SqliteConnection($"Data Source={SqlitePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM activity_events;";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return -1;
        }
    }

    private static long PostgresCount()
    {
        using var connection = new NpgsqlConnection(BenchPostgres.ConnectionString);
        connection.Open();
        using var exists = new NpgsqlCommand($"SELECT to_regclass('{Schema}.activity_events') IS NOT NULL", connection);
        if (!(bool)exists.ExecuteScalar()!)
        {
            return -1;
        }

        using var command = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.activity_events", connection);
        return (long)command.ExecuteScalar()!;
    }

    private static void LoadSqlite(ReynEvent[] events)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(SqlitePath + suffix);
        }

        var sink = new ActivitySink(SqlitePath, new ActivityStoreOptions { QueueCapacity = EventCount + 16, Retention = TimeSpan.Zero });
        var (elapsed, cpu) = TimedLoad(sink, events, () => sink.WrittenCount, "SQLite", () => File.Delete(SqlitePath));
        SqliteConnection.ClearAllPools();
        var bytes = new FileInfo(SqlitePath).Length + (File.Exists(SqlitePath + "-wal") ? new FileInfo(SqlitePath + "-wal").Length : 0);
        Report("SQLite (ActivitySink, batches of 1,024, WAL, synchronous=NORMAL)", elapsed, cpu, bytes, maintenance: null);
    }

    private static void LoadPostgres(ReynEvent[] events)
    {
        BenchPostgres.DropSchema(Schema);
        var sink = new PostgresActivitySink(new ReynPostgreSqlOptions
        {
            ConnectionString = BenchPostgres.ConnectionString,
            Schema = Schema,
            QueueCapacity = EventCount + 16,
            ActivityRetention = TimeSpan.Zero,
        });
        var (elapsed, cpu) = TimedLoad(sink, events, () => sink.WrittenCount, "PostgreSQL", () => BenchPostgres.DropSchema(Schema));

        // What autovacuum would do after a bulk load: statistics for the planner, the GIN pending list merged.
        using var connection = new NpgsqlConnection(BenchPostgres.ConnectionString);
        connection.Open();
        var vacuum = Stopwatch.StartNew();
        using (var command = new NpgsqlCommand($"VACUUM (ANALYZE) {Schema}.activity_events", connection) { CommandTimeout = 0 })
        {
            command.ExecuteNonQuery();
        }

        vacuum.Stop();
        using var size = new NpgsqlCommand(
            $"SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{Schema}' AND c.relkind = 'r'",
            connection);
        var bytes = (long)size.ExecuteScalar()!;
        Report("PostgreSQL (PostgresActivitySink, binary COPY per batch of 1,024, fsync=on)", elapsed, cpu, bytes, vacuum.Elapsed);
    }

    /// <summary>Writes every event through <paramref name="sink"/>, flushes, and returns the wall time and this process's CPU; throws (after <paramref name="discard"/>) when not every event was written.</summary>
    private static (TimeSpan Elapsed, TimeSpan Cpu) TimedLoad<TSink>(TSink sink, ReynEvent[] events, Func<long> written, string store, Action discard)
        where TSink : IFlushableEventSink, IEventSinkDiagnostics, IAsyncDisposable
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var e in events)
        {
            sink.Write(e);
        }

        sink.FlushAsync().AsTask().GetAwaiter().GetResult();
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (written() != EventCount)
        {
            discard();
            throw new InvalidOperationException($"{store}: loaded {written()} of {EventCount} events: {sink.LastError}");
        }

        return (watch.Elapsed, cpu);
    }

    private static void Report(string store, TimeSpan elapsed, TimeSpan clientCpu, long bytes, TimeSpan? maintenance)
    {
        var ci = CultureInfo.InvariantCulture;
        var vacuum = maintenance is { } m ? string.Create(ci, $"; VACUUM (ANALYZE) after the load {m.TotalSeconds:F1} s") : string.Empty;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        var line = string.Create(ci,
            $"{DateTimeOffset.UtcNow:u} bulk load {EventCount:N0} events, {store}: {elapsed.TotalSeconds:F1} s = {EventCount / elapsed.TotalSeconds:N0} events/s ({elapsed.TotalMicroseconds / EventCount:F1} us/event wall, {clientCpu.TotalMicroseconds / EventCount:F1} us/event CPU of this process); on disk {bytes / (1024.0 * 1024.0):N0} MiB = {bytes / (double)EventCount:N0} B/event{vacuum}; load average {load}");
        Console.WriteLine("// " + line);
        File.AppendAllText(ReportPath, line + Environment.NewLine);
    }
}
