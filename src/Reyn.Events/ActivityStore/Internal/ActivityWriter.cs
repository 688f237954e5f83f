using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// The database side of <see cref="ActivitySink"/>: one connection, a prepared insert, batched transactions and
/// retention. Used from the sink's single background task only.
/// </summary>
internal sealed class ActivityWriter : IDisposable
{
    private const string DroppedKey = "dropped_events";
    private const string InsertRowSql = """
        INSERT INTO activity_events (id, ts_epoch, ts, project, agent, session_id, run_id, source, type, level, summary, data)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);
        """;

    private const string InsertIndexRowSql = "INSERT INTO activity_events_fts(rowid, summary, body) VALUES (?1, ?2, ?3);";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insertRow;
    private sqlite3_stmt? _insertIndexRow;
    private readonly SqliteCommand _addDropped;
    private readonly SqliteCommand _lastId;
    private readonly SqliteCommand _indexMode;
    private readonly Utf8ActivityRows _rows = new();
    private readonly ActivityStoreOptions _options;

    private ActivityWriter(SqliteConnection connection, ActivityStoreOptions options, bool ftsEnabled)
    {
        _connection = connection;
        _options = options;
        FtsEnabled = ftsEnabled;
        _insertRow = Prepare(InsertRowSql);
        _lastId = connection.CreateCommand();
        _lastId.CommandText = LastIdSql;
        _indexMode = connection.CreateCommand();
        _indexMode.CommandText = ActivitySchema.WriterIndexesSql;
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
    /// <remarks>
    /// Rows are encoded before the write lock is taken and bound as UTF-8 through prepared SQLite statements:
    /// Microsoft.Data.Sqlite's per-execution reader, boxing and string conversions added about 40% to SQLite's own
    /// work for a row.
    /// </remarks>
    public void Insert(IReadOnlyList<ReynEvent> events, long newDrops)
    {
        _rows.Encode(events);
        using var tx = _connection.BeginTransaction(deferred: false);
        _indexMode.Transaction = tx;
        _lastId.Transaction = tx;
        var index = (long)_indexMode.ExecuteScalar()! > 0;
        var firstId = (long)_lastId.ExecuteScalar()! + 1;
        for (var row = 0; row < _rows.Count; row++)
        {
            Bind(_insertRow, 1, firstId + row);
            Bind(_insertRow, 2, _rows.TimestampMs(row));
            for (var column = ActivityColumn.Timestamp; column <= ActivityColumn.Data; column++)
            {
                Bind(_insertRow, 3 + (int)column, row, column);
            }

            Step(_insertRow);
        }

        // Index rows only after every row of the batch is in: FTS5 flushes its pending terms to a new segment at every
        // statement savepoint once it is part of the transaction, so interleaved with row inserts that open one (as an
        // INSERT ... RETURNING does) it would write a segment per event; this way it is one per batch.
        if (index)
        {
            var insertIndexRow = _insertIndexRow ??= Prepare(InsertIndexRowSql);
            for (var row = 0; row < _rows.Count; row++)
            {
                Bind(insertIndexRow, 1, firstId + row);
                Bind(insertIndexRow, 2, row, ActivityColumn.Summary);
                Bind(insertIndexRow, 3, row, ActivityColumn.Body);
                Step(insertIndexRow);
            }
        }

        if (newDrops > 0)
        {
            _addDropped.Transaction = tx;
            _addDropped.Parameters["$n"].Value = newDrops;
            _addDropped.ExecuteNonQuery();
        }

        tx.Commit();
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
        // Statements are finalized before the connection goes back to the pool, which keeps the native handle open.
        _insertRow.Dispose();
        _insertIndexRow?.Dispose();
        _indexMode.Dispose();
        _lastId.Dispose();
        _addDropped.Dispose();
        _rows.Dispose();
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

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v3(_connection.Handle!, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw Error(rc);
        }

        return statement;
    }

    private void Bind(sqlite3_stmt statement, int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    private void Bind(sqlite3_stmt statement, int index, int row, ActivityColumn column) =>
        Check(_rows.IsNull(row, column) ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, _rows.Text(row, column)));

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        var error = rc == raw.SQLITE_DONE ? null : Error(rc);
        raw.sqlite3_reset(statement);
        if (error is not null)
        {
            throw error;
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_connection.Handle!).utf8_to_string(), rc);

    private object Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }
}
