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

    private const string CreateFts = """
        CREATE VIRTUAL TABLE IF NOT EXISTS activity_events_fts USING fts5(
          summary, data, content='activity_events', content_rowid='id');
        CREATE TRIGGER IF NOT EXISTS activity_events_ai AFTER INSERT ON activity_events BEGIN
          INSERT INTO activity_events_fts(rowid, summary, data) VALUES (new.id, new.summary, new.data);
        END;
        CREATE TRIGGER IF NOT EXISTS activity_events_ad AFTER DELETE ON activity_events BEGIN
          INSERT INTO activity_events_fts(activity_events_fts, rowid, summary, data) VALUES ('delete', old.id, old.summary, old.data);
        END;
        CREATE TRIGGER IF NOT EXISTS activity_events_au AFTER UPDATE ON activity_events BEGIN
          INSERT INTO activity_events_fts(activity_events_fts, rowid, summary, data) VALUES ('delete', old.id, old.summary, old.data);
          INSERT INTO activity_events_fts(rowid, summary, data) VALUES (new.id, new.summary, new.data);
        END;
        INSERT INTO activity_events_fts(activity_events_fts) VALUES ('rebuild');
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
        if (!hasFts && fullTextSearch)
        {
            try
            {
                using var tx = connection.BeginTransaction(deferred: false);
                if (!FtsExists(connection))
                {
                    Execute(connection, tx, CreateFts);
                }

                tx.Commit();
                hasFts = true;
            }
            catch (SqliteException)
            {
                // SQLite without FTS5: writes continue and search uses the LIKE fallback.
                hasFts = false;
            }
        }

        return hasFts;
    }

    /// <summary>Whether the FTS5 index table exists.</summary>
    public static bool FtsExists(SqliteConnection connection) =>
        (long)Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'activity_events_fts';")! > 0;

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
