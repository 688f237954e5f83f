using Microsoft.Data.Sqlite;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// The store's schema, its version (<c>PRAGMA user_version</c>) and the forward migrations. An older file is migrated
/// in one transaction; a newer one is refused with a message that says which version wrote it.
/// </summary>
internal static class ActivitySchema
{
    /// <summary>Version 1: the original layout (project_id, session_id, log_level; no agent or run columns).</summary>
    public const int Version1 = 1;

    /// <summary>Version 2: project, agent, session_id, run_id, level; indexes on every filter axis; the meta table.</summary>
    public const int CurrentVersion = 2;

    public const string FtsTable = "activity_events_fts";

    private const string CreateCurrent = """
        CREATE TABLE IF NOT EXISTS activity_events (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          ts_epoch   INTEGER NOT NULL,
          ts         TEXT NOT NULL,
          project    TEXT,
          agent      TEXT,
          session_id TEXT,
          run_id     TEXT,
          source     TEXT NOT NULL,
          type       TEXT NOT NULL,
          level      TEXT NOT NULL DEFAULT 'info',
          summary    TEXT NOT NULL,
          data       TEXT
        );
        """;

    private const string CreateIndexesAndMeta = """
        CREATE INDEX IF NOT EXISTS idx_ae_ts      ON activity_events(ts_epoch);
        CREATE INDEX IF NOT EXISTS idx_ae_project ON activity_events(project);
        CREATE INDEX IF NOT EXISTS idx_ae_agent   ON activity_events(agent);
        CREATE INDEX IF NOT EXISTS idx_ae_session ON activity_events(session_id);
        CREATE INDEX IF NOT EXISTS idx_ae_run     ON activity_events(run_id);
        CREATE INDEX IF NOT EXISTS idx_ae_source  ON activity_events(source);
        CREATE INDEX IF NOT EXISTS idx_ae_type    ON activity_events(type);
        CREATE INDEX IF NOT EXISTS idx_ae_level   ON activity_events(level);
        CREATE TABLE IF NOT EXISTS activity_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    /// <summary>The version-1 layout, kept so tests can create an old file and prove the migration.</summary>
    public const string CreateVersion1 = """
        CREATE TABLE IF NOT EXISTS activity_events (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          ts_epoch   INTEGER NOT NULL,
          ts         TEXT NOT NULL,
          project_id TEXT,
          session_id TEXT,
          source     TEXT NOT NULL,
          type       TEXT NOT NULL,
          log_level  TEXT NOT NULL DEFAULT 'info',
          summary    TEXT NOT NULL,
          data       TEXT
        );
        CREATE INDEX IF NOT EXISTS idx_ae_ts      ON activity_events(ts_epoch);
        CREATE INDEX IF NOT EXISTS idx_ae_session ON activity_events(session_id);
        CREATE INDEX IF NOT EXISTS idx_ae_project ON activity_events(project_id);
        CREATE INDEX IF NOT EXISTS idx_ae_type    ON activity_events(type);
        CREATE INDEX IF NOT EXISTS idx_ae_source  ON activity_events(source);
        PRAGMA user_version = 1;
        """;

    private const string MigrateV1ToV2 = """
        ALTER TABLE activity_events RENAME COLUMN project_id TO project;
        ALTER TABLE activity_events RENAME COLUMN log_level TO level;
        ALTER TABLE activity_events ADD COLUMN agent TEXT;
        ALTER TABLE activity_events ADD COLUMN run_id TEXT;
        UPDATE activity_events
           SET agent = json_extract(data, '$.agent'), run_id = json_extract(data, '$.run_id')
         WHERE data IS NOT NULL AND json_valid(data);
        """;

    /// <summary>
    /// The text the FTS index holds besides the summary: the string values of <c>data</c> (JSON keys, numbers and
    /// booleans are not indexed), without the fields that are columns with their own filter (<c>project</c>,
    /// <c>agent</c>, <c>session_id</c>, <c>run_id</c>, <c>level</c>) and without the stamped <c>emitter</c> token and
    /// <c>audit_seq</c>. Computed in SQL by the trigger so every writer (any process, any options) indexes alike;
    /// data that is not JSON is indexed as it is.
    /// </summary>
    public const string BodyExpression = """
        CASE WHEN json_valid({0}) THEN (SELECT group_concat(value, ' ') FROM json_tree({0}) WHERE type = 'text'
          AND fullkey NOT IN ('$.project', '$.agent', '$.session_id', '$.run_id', '$.level', '$.emitter', '$.audit_seq'))
        ELSE {0} END
        """;

    /// <summary>
    /// Contentless FTS5 (<c>contentless_delete=1</c>): the index stores tokens and BM25 statistics only, never a second
    /// copy of the text, and rows are removed by rowid. Search reads the row itself from <c>activity_events</c>.
    /// New rows are indexed by <see cref="ActivityWriter"/> in the batch transaction (see <see cref="WriterIndexesSql"/>);
    /// deletes (retention) and updates are followed by triggers; existing rows are indexed when the table is created.
    /// </summary>
    private static readonly string CreateFts = $"""
        CREATE VIRTUAL TABLE IF NOT EXISTS activity_events_fts USING fts5(summary, body, content='', contentless_delete=1);
        CREATE TRIGGER IF NOT EXISTS activity_events_ad AFTER DELETE ON activity_events BEGIN
          DELETE FROM activity_events_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER IF NOT EXISTS activity_events_au AFTER UPDATE OF summary, data ON activity_events BEGIN
          DELETE FROM activity_events_fts WHERE rowid = old.id;
          INSERT INTO activity_events_fts(rowid, summary, body) VALUES (new.id, new.summary, {Body("new.data")});
        END;
        INSERT INTO activity_events_fts(rowid, summary, body) SELECT id, summary, {Body("data")} FROM activity_events;
        """;

    /// <summary>
    /// Drops the first FTS layout (external content over <c>summary</c> and the raw JSON <c>data</c>, keys and stamped
    /// fields included) so <see cref="CreateFts"/> rebuilds the index in the current layout. Rows are untouched.
    /// </summary>
    private const string DropLegacyFts = """
        DROP TRIGGER IF EXISTS activity_events_ai;
        DROP TRIGGER IF EXISTS activity_events_ad;
        DROP TRIGGER IF EXISTS activity_events_au;
        DROP TABLE IF EXISTS activity_events_fts;
        """;

    /// <summary>Reads the file's schema version.</summary>
    public static int ReadVersion(SqliteConnection connection) => (int)(long)Scalar(connection, "PRAGMA user_version;")!;

    /// <summary>Throws when the file was written by a newer schema than this code knows.</summary>
    public static void ThrowIfNewer(int version, string path)
    {
        if (version > CurrentVersion)
        {
            throw new ActivityStoreException(
                $"The activity store '{path}' has schema version {version}, newer than the {CurrentVersion} this Reyn.Events supports. " +
                "Upgrade Reyn.Events (and the reyn tool) to the version that wrote it, or point the store at another file; the file was left untouched.");
        }
    }

    /// <summary>
    /// Creates or migrates the schema to <see cref="CurrentVersion"/> and, when <paramref name="fullTextSearch"/>,
    /// creates the FTS5 index. Returns whether the FTS5 index exists.
    /// </summary>
    public static bool Ensure(SqliteConnection connection, string path, bool fullTextSearch)
    {
        var version = ReadVersion(connection);
        ThrowIfNewer(version, path);
        if (version < CurrentVersion)
        {
            using var tx = connection.BeginTransaction(deferred: false);
            version = ReadVersion(connection);
            ThrowIfNewer(version, path);
            if (version == 0)
            {
                Execute(connection, tx, CreateCurrent);
            }
            else if (version == Version1)
            {
                Execute(connection, tx, MigrateV1ToV2);
            }

            if (version < CurrentVersion)
            {
                Execute(connection, tx, CreateIndexesAndMeta);
                Execute(connection, tx, $"PRAGMA user_version = {CurrentVersion};");
            }

            tx.Commit();
        }

        var hasFts = FtsExists(connection);
        var legacy = hasFts && IsLegacyFts(connection);
        if ((!hasFts || legacy) && fullTextSearch)
        {
            try
            {
                using var tx = connection.BeginTransaction(deferred: false);
                if (FtsExists(connection) && IsLegacyFts(connection))
                {
                    Execute(connection, tx, DropLegacyFts);
                }

                if (!FtsExists(connection))
                {
                    Execute(connection, tx, CreateFts);
                }

                tx.Commit();
                hasFts = true;
            }
            catch (SqliteException)
            {
                // SQLite without FTS5 (or without contentless_delete): writes continue; a legacy index keeps being
                // maintained by its triggers and search uses it, otherwise search uses the LIKE fallback.
            }
        }

        return hasFts;
    }

    /// <summary>Whether the FTS5 index table exists.</summary>
    public static bool FtsExists(SqliteConnection connection) =>
        (long)Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'activity_events_fts';")! > 0;

    /// <summary>
    /// Returns 1 when the writer must add each row to the FTS index itself (the current, contentless layout exists), 0
    /// when there is no index or the legacy layout's triggers maintain it. Run inside each batch transaction, so a
    /// writer follows an index another process created or rebuilt after it opened.
    /// </summary>
    /// <remarks>
    /// The writer inserts index rows directly, after the batch's rows, instead of through an AFTER INSERT trigger:
    /// FTS5 flushes its in-memory pending terms to a new segment at every statement savepoint, and each row's INSERT
    /// (NOT NULL columns, triggers) opens one, so the trigger wrote one tiny index segment per event (then merged
    /// them) instead of one per batch.
    /// </remarks>
    public const string WriterIndexesSql =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'activity_events_fts' AND sql NOT LIKE '%content=''activity_events''%';";

    /// <summary>Whether the FTS index is the first layout (external content over the raw JSON), rebuilt on open.</summary>
    public static bool IsLegacyFts(SqliteConnection connection) =>
        Scalar(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activity_events_fts';") is string sql &&
        sql.Contains("content='activity_events'", StringComparison.OrdinalIgnoreCase);

    private static string Body(string column) => string.Format(System.Globalization.CultureInfo.InvariantCulture, BodyExpression, column);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
