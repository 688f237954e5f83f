using System.Buffers;
using Microsoft.Data.Sqlite;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// The database side of <see cref="ActivitySink"/>: one connection, a prepared insert, batched transactions and
/// retention. Used from the sink's single background task only.
/// </summary>
internal sealed class ActivityWriter : IDisposable
{
    private const string DroppedKey = "dropped_events";
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _p;
    private readonly SqliteCommand _addDropped;
    private readonly List<(long Id, string Summary, string Body)> _pending = [];
    private readonly SqliteCommand _lastId;
    private readonly SqliteCommand _indexMode;
    private readonly SqliteCommand _index;
    private readonly SqliteParameter _indexId;
    private readonly SqliteParameter _indexSummary;
    private readonly SqliteParameter _indexBody;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly ActivityStoreOptions _options;

    private ActivityWriter(SqliteConnection connection, ActivityStoreOptions options, bool ftsEnabled)
    {
        _connection = connection;
        _options = options;
        FtsEnabled = ftsEnabled;
        _insert = connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO activity_events (id, ts_epoch, ts, project, agent, session_id, run_id, source, type, level, summary, data)
            VALUES ($id, $ts_epoch, $ts, $project, $agent, $session, $run, $source, $type, $level, $summary, $data);
            """;
        string[] names = ["$id", "$ts_epoch", "$ts", "$project", "$agent", "$session", "$run", "$source", "$type", "$level", "$summary", "$data"];
        _p = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _p[i] = _insert.CreateParameter();
            _p[i].ParameterName = names[i];
            _insert.Parameters.Add(_p[i]);
        }

        _lastId = connection.CreateCommand();
        _lastId.CommandText = LastIdSql;
        _indexMode = connection.CreateCommand();
        _indexMode.CommandText = ActivitySchema.WriterIndexesSql;
        _index = connection.CreateCommand();
        _index.CommandText = "INSERT INTO activity_events_fts(rowid, summary, body) VALUES ($id, $summary, $body);";
        _indexId = _index.Parameters.Add("$id", SqliteType.Integer);
        _indexSummary = _index.Parameters.Add("$summary", SqliteType.Text);
        _indexBody = _index.Parameters.Add("$body", SqliteType.Text);

        _addDropped = connection.CreateCommand();
        _addDropped.CommandText = "INSERT INTO activity_meta (key, value) VALUES ($key, $n) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value;";
        _addDropped.Parameters.AddWithValue("$key", DroppedKey);
        _addDropped.Parameters.Add("$n", SqliteType.Integer);
    }

    /// <summary>
    /// The id the last row got, as AUTOINCREMENT counts it (the highest id ever used, deleted rows included). The writer
    /// holds the write lock for the whole batch, so it numbers the batch's rows itself: an INSERT with RETURNING runs
    /// as a trigger, and a trigger makes every row's statement keep a statement journal (a copy of each page it touches).
    /// </summary>
    private const string LastIdSql = """
        SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'activity_events'), 0), COALESCE((SELECT max(id) FROM activity_events), 0));
        """;

    public bool FtsEnabled { get; }

    /// <summary>Opens (creating if needed) and migrates the store.</summary>
    public static ActivityWriter Open(string path, ActivityStoreOptions options)
    {
        var connection = ActivityConnections.Open(path, options.BusyTimeout, create: true);
        try
        {
            // The writer's own page cache (16 MiB) keeps the hot index and FTS pages of a batch in memory; sorting
            // and FTS merge scratch stay in memory too. Connection-local: readers keep SQLite's defaults.
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;";
                pragmas.ExecuteNonQuery();
            }

            var fts = ActivitySchema.Ensure(connection, path, options.FullTextSearch);
            return new ActivityWriter(connection, options, fts);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Inserts <paramref name="events"/> and adds <paramref name="newDrops"/> to the persisted drop count, in one transaction.</summary>
    public void Insert(IReadOnlyList<ReynEvent> events, long newDrops)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        _insert.Transaction = tx;
        _index.Transaction = tx;
        _indexMode.Transaction = tx;
        _lastId.Transaction = tx;
        var index = (long)_indexMode.ExecuteScalar()! > 0;
        var id = (long)_lastId.ExecuteScalar()!;
        _pending.Clear();
        for (var i = 0; i < events.Count; i++)
        {
            var row = ActivityRow.From(events[i], _buffer);
            _p[0].Value = ++id;
            row.BindColumns(_p, 1);
            _insert.ExecuteNonQuery();
            if (index)
            {
                _pending.Add((id, row.Summary, row.Body));
            }
        }

        // Index rows only after every row of the batch is in: FTS5 flushes its pending terms to a new segment at every
        // statement savepoint once it is part of the transaction, so interleaved with row inserts that open one (as the
        // earlier RETURNING form did) it wrote a segment per event; this way it is one per batch whatever the inserts do.
        foreach (var (rowId, summary, body) in _pending)
        {
            _indexId.Value = rowId;
            _indexSummary.Value = summary;
            _indexBody.Value = body;
            _index.ExecuteNonQuery();
        }

        _pending.Clear();

        if (newDrops > 0)
        {
            _addDropped.Transaction = tx;
            _addDropped.Parameters["$n"].Value = newDrops;
            _addDropped.ExecuteNonQuery();
        }

        tx.Commit();
        _insert.Transaction = null;
        _index.Transaction = null;
        _indexMode.Transaction = null;
        _lastId.Transaction = null;
        _addDropped.Transaction = null;
    }

    /// <summary>Applies retention in batches (each its own short transaction so other writers interleave). Returns rows deleted.</summary>
    public long Prune(DateTimeOffset now)
    {
        var deleted = 0L;
        var batch = _options.PruneBatchSize;
        if (_options.Retention > TimeSpan.Zero)
        {
            var cutoff = (now - _options.Retention).ToUnixTimeMilliseconds();
            deleted += DeleteLoop(
                "DELETE FROM activity_events WHERE id IN (SELECT id FROM activity_events WHERE ts_epoch < $cutoff ORDER BY ts_epoch LIMIT $batch);",
                batch, cmd => cmd.Parameters.AddWithValue("$cutoff", cutoff));
        }

        if (_options.MaxRows is { } maxRows)
        {
            var count = (long)Scalar("SELECT COUNT(*) FROM activity_events;");
            var excess = count - maxRows;
            while (excess > 0)
            {
                var n = (int)Math.Min(excess, batch);
                var removed = DeleteOldest(n);
                deleted += removed;
                excess -= removed;
                if (removed == 0)
                {
                    break;
                }
            }
        }

        if (_options.MaxFileBytes is { } maxBytes)
        {
            deleted += PruneToSize(maxBytes, batch);
        }

        return deleted;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _indexMode.Dispose();
        _lastId.Dispose();
        _index.Dispose();
        _addDropped.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// Deletes the oldest rows until the used size fits: estimates rows to delete from the average row size, then
    /// optimizes the FTS index so deleted entries free their pages (bounded by the cap itself). The newest row stays.
    /// </summary>
    private long PruneToSize(long maxBytes, int batch)
    {
        var deleted = 0L;
        for (var round = 0; round < 4; round++)
        {
            var used = UsedBytes();
            if (used <= maxBytes)
            {
                break;
            }

            var rows = (long)Scalar("SELECT COUNT(*) FROM activity_events;");
            if (rows <= 1)
            {
                break;
            }

            var perRow = Math.Max(1, used / rows);
            var target = Math.Min(rows - 1, (long)Math.Ceiling((used - maxBytes) * 1.1 / perRow) + 1);
            while (target > 0)
            {
                var removed = DeleteOldest((int)Math.Min(target, batch));
                deleted += removed;
                target -= removed;
                if (removed == 0)
                {
                    break;
                }
            }

            if (FtsEnabled)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "INSERT INTO activity_events_fts(activity_events_fts) VALUES ('optimize');";
                command.ExecuteNonQuery();
            }
        }

        return deleted;
    }

    private long UsedBytes()
    {
        var pages = (long)Scalar("PRAGMA page_count;");
        var free = (long)Scalar("PRAGMA freelist_count;");
        var size = (long)Scalar("PRAGMA page_size;");
        return (pages - free) * size;
    }

    private int DeleteOldest(int n) => (int)DeleteOnce(
        "DELETE FROM activity_events WHERE id IN (SELECT id FROM activity_events ORDER BY id LIMIT $batch);",
        n, _ => { });

    private long DeleteLoop(string sql, int batch, Action<SqliteCommand> bind)
    {
        var total = 0L;
        while (true)
        {
            var n = DeleteOnce(sql, batch, bind);
            total += n;
            if (n < batch)
            {
                return total;
            }
        }
    }

    private long DeleteOnce(string sql, int batch, Action<SqliteCommand> bind)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$batch", batch);
        bind(command);
        var n = command.ExecuteNonQuery();
        tx.Commit();
        return n;
    }

    private object Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }
}
