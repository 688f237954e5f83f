using Npgsql;

namespace Reyn.PostgreSql.Internal;

/// <summary>Schema creation, serialized across processes with an advisory lock so concurrent starts do not race.</summary>
internal static class PgDdl
{
    private const long DdlLockKey = 0x5265796E_44444C; // "ReynDDL"

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string schema, string ddl, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({DdlLockKey}); CREATE SCHEMA IF NOT EXISTS {schema};", connection, tx))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(ddl, connection, tx))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string StateLog(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.wal_counter (id int PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL);
        INSERT INTO {s}.wal_counter (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
        CREATE TABLE IF NOT EXISTS {s}.wal (seq bigint PRIMARY KEY, ts timestamptz NOT NULL, kind text NOT NULL, fields text NOT NULL);
        """;

    public static string Index(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.index_sources (source text PRIMARY KEY, embedding_model text);
        CREATE TABLE IF NOT EXISTS {s}.index_chunks (
            source text NOT NULL,
            id text NOT NULL,
            source_path text NOT NULL,
            body text NOT NULL,
            content_hash text NOT NULL,
            skill text,
            status text,
            version_hash text,
            ts timestamptz,
            extra jsonb NOT NULL,
            vector real[],
            embedding_model text,
            indexed_at timestamptz NOT NULL DEFAULT now(),
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
            PRIMARY KEY (source, id));
        CREATE INDEX IF NOT EXISTS index_chunks_tsv ON {s}.index_chunks USING gin (tsv);
        CREATE INDEX IF NOT EXISTS index_chunks_hash ON {s}.index_chunks (source, content_hash);
        CREATE INDEX IF NOT EXISTS index_chunks_path ON {s}.index_chunks (source, source_path);
        CREATE INDEX IF NOT EXISTS index_chunks_ts ON {s}.index_chunks (source, ts DESC);
        """;

    public static string Activity(string s) => $"""
        CREATE SEQUENCE IF NOT EXISTS {s}.activity_id_seq;
        CREATE TABLE IF NOT EXISTS {s}.activity_events (
            id bigint NOT NULL DEFAULT nextval('{s}.activity_id_seq'),
            ts timestamptz NOT NULL,
            ts_epoch bigint NOT NULL,
            ts_text text NOT NULL,
            project text,
            agent text,
            session_id text,
            run_id text,
            source text NOT NULL,
            type text NOT NULL,
            level text NOT NULL,
            summary text NOT NULL,
            data text,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', summary || ' ' || coalesce(data, ''))) STORED,
            PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts);
        CREATE INDEX IF NOT EXISTS activity_events_tsv ON {s}.activity_events USING gin (tsv);
        CREATE INDEX IF NOT EXISTS activity_events_ts ON {s}.activity_events (ts_epoch);
        CREATE INDEX IF NOT EXISTS activity_events_session ON {s}.activity_events (session_id, id);
        CREATE INDEX IF NOT EXISTS activity_events_run ON {s}.activity_events (run_id, id);
        CREATE TABLE IF NOT EXISTS {s}.activity_meta (key text PRIMARY KEY, value bigint NOT NULL);
        """;
}
