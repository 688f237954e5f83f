using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Reyn.Index.Internal;

namespace Reyn.Index;

/// <summary>
/// The default <see cref="IIndexBackend"/>: one SQLite database per source at
/// <c>&lt;indexDirectory&gt;/&lt;source&gt;/index.db</c> (WAL mode), chunks de-duplicated by a UNIQUE content hash,
/// FTS5 BM25 ranking always, and, when chunks carry vectors, float32 blobs compared with SIMD cosine similarity
/// (System.Numerics.Tensors) and fused with BM25 by reciprocal rank fusion.
/// </summary>
/// <remarks>
/// The embedding model of the stored vectors is recorded per source; writing vectors of another model throws
/// <see cref="IndexModelMismatchException"/> (nothing written), and a query vector of another model is answered with
/// BM25 only and a warning, never mixed. Works with no vectors at all (BM25 only).
/// </remarks>
public sealed class SqliteIndexBackend : IIndexBackend, IContentHashLookup
{
    /// <summary>The database file name inside each source directory.</summary>
    public const string DatabaseFileName = "index.db";

    /// <summary>The arguments <c>chunks_fts</c> is declared with (the in-memory BM25 index ranks only a table declared so).</summary>
    internal const string FtsTableArguments = $"text, content='chunks', content_rowid='pk', tokenize=\"{FtsTermTokenizer.Tokenize}\"";

    private const string PreviousFtsTable = $"CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='chunks', content_rowid='pk', tokenize=\"{FtsTermTokenizer.PreviousTokenize}\")";

    private const string Columns = "c.pk, c.id, c.source_path, c.text, c.skill, c.status, c.version_hash, c.ts, c.extra_json";

    private const string Schema = $"""
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS chunks(
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            skill TEXT,
            status TEXT,
            version_hash TEXT,
            ts INTEGER,
            extra_json TEXT,
            vector BLOB,
            embedding_model TEXT);
        CREATE INDEX IF NOT EXISTS ix_chunks_source_path ON chunks(source_path);
        CREATE INDEX IF NOT EXISTS ix_chunks_skill_ts ON chunks(skill, ts);
        CREATE INDEX IF NOT EXISTS ix_chunks_ts ON chunks(ts);
        CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5({FtsTableArguments});
        CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (new.pk, new.text);
        END;
        CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.pk, old.text);
        END;
        CREATE TRIGGER IF NOT EXISTS chunks_au AFTER UPDATE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.pk, old.text);
            INSERT INTO chunks_fts(rowid, text) VALUES (new.pk, new.text);
        END;
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    // Below this many cached vectors the scan is cheaper than a thread-pool hop.
    private const int ParallelScanThreshold = 4096;

    private readonly ConcurrentDictionary<string, ChunkColumns> _columns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VectorCache> _vectorCaches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bm25Slot> _bm25Indexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _initialized = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _inMemoryBm25Rankings;

    /// <summary>Creates a backend storing sources under <paramref name="indexDirectory"/> (normally <c>&lt;root&gt;/index</c>).</summary>
    public SqliteIndexBackend(string indexDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        IndexDirectory = Path.GetFullPath(indexDirectory);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The directory holding one sub-directory per source.</summary>
    public string IndexDirectory { get; }

    /// <summary>The <c>k</c> of reciprocal rank fusion (score = Σ 1/(k + rank)). Default 60.</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>How many candidates each ranker contributes to fusion (at least top-k). Default 100.</summary>
    public int FusionCandidates { get; init; } = 100;

    /// <summary>
    /// Whether BM25 is ranked in memory from FTS5's own index (row keys and lengths read on the first query after each
    /// write to the source, each term's postings the first time a query needs it, the filter columns the first time a
    /// query filters) instead of by FTS5's <c>bm25()</c>. Same matches, same scores, same order (equal scores by primary
    /// key, i.e. insertion). Default true; false ranks every query with FTS5 and holds nothing.
    /// </summary>
    /// <remarks>
    /// Measured on 100,000 run chunks (the recall benchmark): a BM25 query takes ~0.9 ms instead of ~17 ms. The first
    /// query after a write pays ~0.15 s (row keys and lengths, the query terms' postings) and the first filtered one
    /// ~0.4 s more (the filter columns, shared with a hybrid query's vector cache), so a process that queries once, such
    /// as a one-shot command, is faster with this off. Memory held: ~6 MB for the benchmark query with its columns,
    /// growing with the distinct terms queried up to ~46 MB if every term of the source is.
    /// </remarks>
    public bool InMemoryBm25 { get; init; } = true;

    /// <summary>
    /// Sources with more chunks than this are ranked by FTS5's <c>bm25()</c> even when <see cref="InMemoryBm25"/> is on,
    /// so one huge source cannot take the host's memory. Default 1,000,000.
    /// </summary>
    public int InMemoryBm25MaxChunks { get; init; } = 1_000_000;

    /// <summary>How many BM25 rankings this instance answered from memory (the rest went to FTS5); for tests and diagnostics.</summary>
    internal long InMemoryBm25Rankings => Interlocked.Read(ref _inMemoryBm25Rankings);

    /// <summary>The database path of <paramref name="source"/>.</summary>
    public string GetDatabasePath(string source)
    {
        SourceName.ThrowIfInvalid(source);
        return Path.Combine(IndexDirectory, source, DatabaseFileName);
    }

    /// <inheritdoc />
    public ValueTask<UpsertResult> UpsertAsync(string source, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        cancellationToken.ThrowIfCancellationRequested();
        if (chunks.Count == 0)
        {
            SourceName.ThrowIfInvalid(source);
            return ValueTask.FromResult(default(UpsertResult));
        }

        using var connection = OpenForWrite(source);
        using var tx = connection.BeginTransaction();
        var storedModel = ReadMeta(connection, "embedding_model");
        string? batchModel = null;
        foreach (var chunk in chunks)
        {
            if (chunk.Vector is null)
            {
                continue;
            }

            var model = string.IsNullOrEmpty(chunk.EmbeddingModel) ? "unknown" : chunk.EmbeddingModel;
            batchModel ??= model;
            if (!string.Equals(model, batchModel, StringComparison.Ordinal))
            {
                throw new IndexModelMismatchException(source, batchModel, model);
            }
        }

        if (batchModel is not null && storedModel is not null && !string.Equals(storedModel, batchModel, StringComparison.Ordinal))
        {
            throw new IndexModelMismatchException(source, storedModel, batchModel);
        }

        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT 1 FROM chunks WHERE content_hash = $h";
        var existsHash = exists.Parameters.Add("$h", SqliteType.Text);

        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO chunks(id, source_path, content_hash, text, skill, status, version_hash, ts, extra_json, vector, embedding_model)
            VALUES ($id, $path, $hash, $text, $skill, $status, $version, $ts, $extra, $vector, $model)
            ON CONFLICT(id) DO UPDATE SET source_path = excluded.source_path, content_hash = excluded.content_hash,
                text = excluded.text, skill = excluded.skill, status = excluded.status, version_hash = excluded.version_hash,
                ts = excluded.ts, extra_json = excluded.extra_json, vector = excluded.vector, embedding_model = excluded.embedding_model
            """;
        var pId = insert.Parameters.Add("$id", SqliteType.Text);
        var pPath = insert.Parameters.Add("$path", SqliteType.Text);
        var pHash = insert.Parameters.Add("$hash", SqliteType.Text);
        var pText = insert.Parameters.Add("$text", SqliteType.Text);
        var pSkill = insert.Parameters.Add("$skill", SqliteType.Text);
        var pStatus = insert.Parameters.Add("$status", SqliteType.Text);
        var pVersion = insert.Parameters.Add("$version", SqliteType.Text);
        var pTs = insert.Parameters.Add("$ts", SqliteType.Integer);
        var pExtra = insert.Parameters.Add("$extra", SqliteType.Text);
        var pVector = insert.Parameters.Add("$vector", SqliteType.Blob);
        var pModel = insert.Parameters.Add("$model", SqliteType.Text);

        int written = 0, skipped = 0;
        foreach (var chunk in chunks)
        {
            existsHash.Value = chunk.ContentHash;
            if (exists.ExecuteScalar() is not null)
            {
                skipped++;
                continue;
            }

            var meta = chunk.Metadata;
            pId.Value = chunk.Id;
            pPath.Value = chunk.SourcePath;
            pHash.Value = chunk.ContentHash;
            pText.Value = chunk.Text;
            pSkill.Value = (object?)meta.Skill ?? DBNull.Value;
            pStatus.Value = (object?)meta.Status ?? DBNull.Value;
            pVersion.Value = (object?)meta.VersionHash ?? DBNull.Value;
            pTs.Value = meta.Timestamp is { } ts ? ts.ToUnixTimeMilliseconds() : DBNull.Value;
            pExtra.Value = meta.Extra.Count == 0 ? DBNull.Value : SerializeExtra(meta.Extra);
            pVector.Value = chunk.Vector is { } v ? VectorCodec.Encode(v.Span) : DBNull.Value;
            pModel.Value = chunk.Vector is null ? DBNull.Value : batchModel!;
            insert.ExecuteNonQuery();
            written++;
        }

        if (batchModel is not null && storedModel is null && written > 0)
        {
            WriteMeta(connection, "embedding_model", batchModel);
        }

        if (written > 0)
        {
            WriteMeta(connection, "last_indexed", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            BumpVersion(connection);
        }

        tx.Commit();
        return ValueTask.FromResult(new UpsertResult(written, skipped));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteAsync(string source, string? sourcePath = null, CancellationToken cancellationToken = default)
    {
        var path = GetDatabasePath(source);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(0);
        }

        using var connection = OpenForWrite(source);
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sourcePath is null ? "DELETE FROM chunks" : "DELETE FROM chunks WHERE source_path = $p";
        if (sourcePath is not null)
        {
            cmd.Parameters.AddWithValue("$p", sourcePath);
        }

        var deleted = cmd.ExecuteNonQuery();
        if (!HasVectors(connection))
        {
            Execute(connection, "DELETE FROM meta WHERE key = 'embedding_model'");
        }

        BumpVersion(connection);
        tx.Commit();
        return ValueTask.FromResult(deleted);
    }

    /// <inheritdoc />
    public async ValueTask<IndexQueryResult> QueryAsync(string source, IndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = GetDatabasePath(source);
        cancellationToken.ThrowIfCancellationRequested();
        var terms = FtsQuery.Terms(query.Text);
        if (!File.Exists(path))
        {
            return IndexQueryResult.Empty(terms.Count == 0 ? IndexSearchMode.Filter : IndexSearchMode.Bm25);
        }

        using var connection = OpenForRead(source);
        if (terms.Count == 0)
        {
            return new IndexQueryResult(FilterOnly(connection, source, query), IndexSearchMode.Filter);
        }

        // One read snapshot for the whole query: the version the in-memory indexes are checked against, postings read
        // on demand, and the rows fetched at the end all see the same write.
        using var snapshot = connection.BeginTransaction(deferred: true);
        var version = ReadVersion(connection, snapshot);
        string? warning = null;
        Task<List<long>>? vectorScan = null;
        var candidates = Math.Max(query.TopK, FusionCandidates);
        if (query.Vector is { } vector)
        {
            var storedModel = ReadMeta(connection, "embedding_model", snapshot);
            if (storedModel is null)
            {
                warning = $"Source '{source}' has no stored vectors; ranked by BM25 only. Re-index it with an embedding generator registered for hybrid recall.";
            }
            else if (!string.Equals(storedModel, query.EmbeddingModel, StringComparison.Ordinal))
            {
                warning = $"Source '{source}' was indexed with embedding model '{storedModel}' but the query was embedded with '{query.EmbeddingModel}'; " +
                          "ranked by BM25 only (vectors of different models are not comparable). Re-index with --mode replace to switch models.";
            }
            else
            {
                var cache = GetVectorCache(connection, snapshot, source, version);
                if (cache.Dimensions != vector.Length)
                {
                    warning = $"Source '{source}' stores {cache.Dimensions}-dimension vectors but the query vector has {vector.Length}; ranked by BM25 only.";
                }
                else
                {
                    // The SIMD scan over the cached vectors and the BM25 ranking are independent: run the scan on the
                    // thread pool while this thread runs BM25, so a hybrid query costs about the slower of the two.
                    var filter = query.Filter;
                    vectorScan = cache.Count < ParallelScanThreshold
                        ? Task.FromResult(cache.TopByCosine(vector.Span, filter, candidates))
                        : Task.Run(() => cache.TopByCosine(vector.Span, filter, candidates), cancellationToken);
                }
            }
        }

        List<KeyValuePair<long, double>> bm25;
        try
        {
            bm25 = RankBm25(connection, snapshot, source, version, terms, query.Filter, vectorScan is null ? query.TopK : candidates);
        }
        catch when (vectorScan is not null)
        {
            await Task.WhenAny(vectorScan).ConfigureAwait(false); // never leave the scan running unobserved
            throw;
        }

        if (vectorScan is null)
        {
            var rows = Fetch(connection, source, bm25.ConvertAll(x => x.Key));
            var hits = new List<IndexHit>(rows.Count);
            foreach (var (key, score) in bm25)
            {
                if (rows.TryGetValue(key, out var row))
                {
                    hits.Add(row with { Score = score });
                }
            }

            snapshot.Commit(); // (not a rollback: that would also drop the TEMP tables the query created)
            return new IndexQueryResult(hits, IndexSearchMode.Bm25, warning);
        }

        var vectorRanked = await vectorScan.ConfigureAwait(false);
        var fused = new Dictionary<long, double>(bm25.Count + vectorRanked.Count);
        for (var i = 0; i < bm25.Count; i++)
        {
            fused[bm25[i].Key] = 1.0 / (RrfK + i + 1);
        }

        for (var i = 0; i < vectorRanked.Count; i++)
        {
            fused[vectorRanked[i]] = fused.GetValueOrDefault(vectorRanked[i]) + (1.0 / (RrfK + i + 1));
        }

        var ordered = new List<KeyValuePair<long, double>>(fused);
        ordered.Sort(static (a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : a.Key.CompareTo(b.Key));
        if (ordered.Count > query.TopK)
        {
            ordered.RemoveRange(query.TopK, ordered.Count - query.TopK);
        }

        var fetched = Fetch(connection, source, ordered.ConvertAll(x => x.Key));
        var result = new List<IndexHit>(ordered.Count);
        foreach (var (key, score) in ordered)
        {
            if (fetched.TryGetValue(key, out var row))
            {
                result.Add(row with { Score = score });
            }
        }

        snapshot.Commit();
        return new IndexQueryResult(result, IndexSearchMode.Hybrid, warning);
    }

    /// <inheritdoc />
    public ValueTask<IndexStats> GetStatsAsync(string source, CancellationToken cancellationToken = default)
    {
        var path = GetDatabasePath(source);
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(new IndexStats(source, 0, 0, null, null));
        }

        using var connection = OpenForRead(source);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(vector) FROM chunks";
        using var reader = cmd.ExecuteReader();
        reader.Read();
        var count = reader.GetInt64(0);
        var vectors = reader.GetInt64(1);
        var model = ReadMeta(connection, "embedding_model");
        var last = ReadMeta(connection, "last_indexed");
        DateTimeOffset? lastIndexed = last is null ? null : DateTimeOffset.Parse(last, CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new IndexStats(source, count, vectors, model, lastIndexed));
    }

    /// <inheritdoc />
    public async ValueTask<long> DropAsync(string source, CancellationToken cancellationToken = default)
    {
        var path = GetDatabasePath(source);
        var stats = await GetStatsAsync(source, cancellationToken).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(path)!;
        using (var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate)))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initialized.TryRemove(source, out _);
        _columns.TryRemove(source, out _);
        _vectorCaches.TryRemove(source, out _);
        _bm25Indexes.TryRemove(source, out _);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return stats.ChunkCount;
    }

    /// <inheritdoc />
    public ValueTask<bool> ContainsHashAsync(string source, string contentHash, CancellationToken cancellationToken = default)
    {
        var path = GetDatabasePath(source);
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(false);
        }

        using var connection = OpenForRead(source);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM chunks WHERE content_hash = $h";
        cmd.Parameters.AddWithValue("$h", contentHash);
        return ValueTask.FromResult(cmd.ExecuteScalar() is not null);
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = true,
    }.ToString();

    private SqliteConnection OpenForWrite(string source)
    {
        var path = GetDatabasePath(source);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        connection.Open();
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        EnsureSchema(connection, source);
        return connection;
    }

    private SqliteConnection OpenForRead(string source)
    {
        var connection = new SqliteConnection(ConnectionString(GetDatabasePath(source), SqliteOpenMode.ReadWriteCreate));
        connection.Open();
        EnsureSchema(connection, source);
        return connection;
    }

    private void EnsureSchema(SqliteConnection connection, string source)
    {
        if (_initialized.ContainsKey(source))
        {
            return;
        }

        Execute(connection, Schema);
        UpgradeFtsTokenizer(connection);
        _initialized[source] = true;
    }

    /// <summary>
    /// Re-declares a <c>chunks_fts</c> of an older file (<see cref="FtsTermTokenizer.PreviousTokenize"/>) with the
    /// current tokenizer and rebuilds it from the chunks, once, in one transaction (another process may be doing the same:
    /// the declaration is checked again under the write lock). The chunks themselves are untouched.
    /// </summary>
    private static void UpgradeFtsTokenizer(SqliteConnection connection)
    {
        if (!IsPreviousFtsTable(connection))
        {
            return;
        }

        using var tx = connection.BeginTransaction(deferred: false);
        if (IsPreviousFtsTable(connection))
        {
            Execute(connection, $"""
                DROP TABLE chunks_fts;
                CREATE VIRTUAL TABLE chunks_fts USING fts5({FtsTableArguments});
                INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
                """);
            BumpVersion(connection);
        }

        tx.Commit();
    }

    private static bool IsPreviousFtsTable(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'chunks_fts'";
        return string.Equals(cmd.ExecuteScalar() as string, PreviousFtsTable, StringComparison.Ordinal);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string? ReadMeta(SqliteConnection connection, string key, SqliteTransaction? transaction = null)
    {
        using var cmd = connection.CreateCommand();
        if (transaction is not null)
        {
            cmd.Transaction = transaction;
        }

        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    private static void WriteMeta(SqliteConnection connection, string key, string value)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    private static void BumpVersion(SqliteConnection connection) => Execute(connection,
        "INSERT INTO meta(key, value) VALUES ('write_version', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)");

    private static bool HasVectors(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT EXISTS(SELECT 1 FROM chunks WHERE vector IS NOT NULL)";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
    }

    private static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction) =>
        long.Parse(ReadMeta(connection, "write_version", transaction) ?? "0", CultureInfo.InvariantCulture);

    /// <summary>The columns of <paramref name="source"/> at <paramref name="version"/>, the version <paramref name="snapshot"/> reads.</summary>
    private ChunkColumns GetColumns(SqliteConnection connection, SqliteTransaction snapshot, string source, long version)
    {
        if (_columns.TryGetValue(source, out var columns) && columns.Version == version)
        {
            return columns;
        }

        columns = ChunkColumns.Load(connection, snapshot, version);
        _columns[source] = columns;
        return columns;
    }

    private VectorCache GetVectorCache(SqliteConnection connection, SqliteTransaction snapshot, string source, long version)
    {
        if (_vectorCaches.TryGetValue(source, out var cache) && cache.Version == version)
        {
            return cache;
        }

        cache = VectorCache.Load(connection, snapshot, GetColumns(connection, snapshot, source, version));
        _vectorCaches[source] = cache;
        return cache;
    }

    /// <summary>The in-memory BM25 index of <paramref name="source"/> at <paramref name="version"/>; null when BM25 is ranked by FTS5.</summary>
    private Bm25Index? GetBm25Index(SqliteConnection connection, SqliteTransaction snapshot, string source, long version)
    {
        if (!InMemoryBm25)
        {
            return null;
        }

        if (_bm25Indexes.TryGetValue(source, out var slot) && slot.Version == version)
        {
            return slot.Index;
        }

        // Count first: a source over the cap should not pay for (or hold) its columns.
        var index = CountChunks(connection, snapshot, source, version) <= InMemoryBm25MaxChunks
            ? Bm25Index.Load(connection, version)
            : null;
        _bm25Indexes[source] = new Bm25Slot(version, index);
        return index;
    }

    private long CountChunks(SqliteConnection connection, SqliteTransaction snapshot, string source, long version)
    {
        if (_columns.TryGetValue(source, out var columns) && columns.Version == version)
        {
            return columns.Count;
        }

        return ChunkColumns.CountRows(connection, snapshot);
    }

    private static string AppendFilter(SqliteCommand cmd, IndexFilter filter)
    {
        var sql = new StringBuilder();
        if (filter.Skill is not null)
        {
            sql.Append(" AND c.skill = $f_skill");
            cmd.Parameters.AddWithValue("$f_skill", filter.Skill);
        }

        if (filter.Status is not null)
        {
            sql.Append(" AND c.status = $f_status");
            cmd.Parameters.AddWithValue("$f_status", filter.Status);
        }

        if (filter.VersionHash is not null)
        {
            sql.Append(" AND c.version_hash = $f_version");
            cmd.Parameters.AddWithValue("$f_version", filter.VersionHash);
        }

        if (filter.From is { } from)
        {
            sql.Append(" AND c.ts >= $f_from");
            cmd.Parameters.AddWithValue("$f_from", from.ToUnixTimeMilliseconds());
        }

        if (filter.To is { } to)
        {
            sql.Append(" AND c.ts < $f_to");
            cmd.Parameters.AddWithValue("$f_to", to.ToUnixTimeMilliseconds());
        }

        return sql.ToString();
    }

    /// <summary>
    /// BM25 top <paramref name="limit"/> of the chunks holding the words whole (<see cref="RankWholeWords"/>); when there
    /// are none, of the chunks holding terms the words start (<see cref="Bm25Prefixes"/>).
    /// </summary>
    private List<KeyValuePair<long, double>> RankBm25(SqliteConnection connection, SqliteTransaction snapshot, string source, long version,
        List<string> terms, IndexFilter filter, int limit)
    {
        var whole = RankWholeWords(connection, snapshot, source, version, terms, filter, limit);
        return whole.Count > 0 ? whole : Bm25Prefixes(connection, terms, filter, limit);
    }

    /// <summary>
    /// BM25 top <paramref name="limit"/>: in memory when <see cref="InMemoryBm25"/> applies (every word holds an FTS5
    /// term, the source is within <see cref="InMemoryBm25MaxChunks"/>), else with FTS5. Both give the same hits in the same order.
    /// </summary>
    private List<KeyValuePair<long, double>> RankWholeWords(SqliteConnection connection, SqliteTransaction snapshot, string source, long version,
        List<string> terms, IndexFilter filter, int limit)
    {
        if (GetBm25Index(connection, snapshot, source, version) is { } index
            && FtsTermTokenizer.Terms(connection, terms) is { } ftsTerms
            && index.Search(connection, ftsTerms, filter.IsEmpty ? null : GetColumns(connection, snapshot, source, version), filter, limit) is { } ranked)
        {
            Interlocked.Increment(ref _inMemoryBm25Rankings);
            return ranked;
        }

        return Bm25(connection, terms, filter, limit);
    }

    /// <summary>
    /// BM25 top <paramref name="limit"/> of the chunks holding a term that starts with any word of three or more letters
    /// or digits, so a word typed in part (<c>triag</c>, <c>timeo</c>) still finds something. Run only when no chunk
    /// holds a word whole, so it never reorders or dilutes whole-word results.
    /// </summary>
    private static List<KeyValuePair<long, double>> Bm25Prefixes(SqliteConnection connection, List<string> terms, IndexFilter filter, int limit)
    {
        var prefixes = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            if (term.Count(char.IsLetterOrDigit) >= 3)
            {
                prefixes.Add(term + "*");
            }
        }

        return prefixes.Count == 0 ? [] : Bm25Match(connection, FtsQuery.Join(prefixes, all: false), filter, limit);
    }

    /// <summary>
    /// BM25 top <paramref name="limit"/> with FTS5's <c>bm25()</c> (the path when <see cref="InMemoryBm25"/> is off or
    /// does not apply): first the chunks containing every word (selective, so fast on large sources), then, only when
    /// those are fewer than the limit, the chunks containing any word. A chunk's BM25 score is the same in both queries,
    /// so the two lists merge by score; equal scores by primary key ascending, as <see cref="Bm25Index"/> orders them.
    /// </summary>
    private static List<KeyValuePair<long, double>> Bm25(SqliteConnection connection, List<string> terms, IndexFilter filter, int limit)
    {
        var result = Bm25Match(connection, FtsQuery.Join(terms, all: true), filter, limit);
        if (result.Count >= limit || terms.Count == 1)
        {
            return result;
        }

        var seen = new HashSet<long>(result.Count);
        foreach (var (key, _) in result)
        {
            seen.Add(key);
        }

        foreach (var hit in Bm25Match(connection, FtsQuery.Join(terms, all: false), filter, limit))
        {
            if (seen.Add(hit.Key))
            {
                result.Add(hit);
            }
        }

        result.Sort(static (a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : a.Key.CompareTo(b.Key));
        if (result.Count > limit)
        {
            result.RemoveRange(limit, result.Count - limit);
        }

        return result;
    }

    private static List<KeyValuePair<long, double>> Bm25Match(SqliteConnection connection, string match, IndexFilter filter, int limit)
    {
        using var cmd = connection.CreateCommand();
        var where = AppendFilter(cmd, filter);

        // CROSS JOIN keeps FTS5 as the outer loop: one MATCH evaluation, then primary-key lookups for the filters.
        // (Letting the planner drive from the metadata index re-runs the MATCH for every filtered row.)
        cmd.CommandText = where.Length == 0
            ? "SELECT rowid, bm25(chunks_fts) AS r FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY r, rowid LIMIT $n"
            : $"SELECT c.pk, bm25(chunks_fts) AS r FROM chunks_fts CROSS JOIN chunks c ON c.pk = chunks_fts.rowid WHERE chunks_fts MATCH $q{where} ORDER BY r, c.pk LIMIT $n";
        cmd.Parameters.AddWithValue("$q", match);
        cmd.Parameters.AddWithValue("$n", limit);
        var result = new List<KeyValuePair<long, double>>(Math.Min(limit, 1024));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            // FTS5 bm25() is "more negative = better"; hits report "higher = better".
            result.Add(new(reader.GetInt64(0), -reader.GetDouble(1)));
        }

        return result;
    }

    private static List<IndexHit> FilterOnly(SqliteConnection connection, string source, IndexQuery query)
    {
        using var cmd = connection.CreateCommand();
        var where = AppendFilter(cmd, query.Filter);
        cmd.CommandText = $"SELECT {Columns} FROM chunks c WHERE 1 = 1{where} ORDER BY c.ts DESC, c.pk DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", query.TopK);
        var hits = new List<IndexHit>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            hits.Add(ReadHit(reader, source, 0));
        }

        return hits;
    }

    private static Dictionary<long, IndexHit> Fetch(SqliteConnection connection, string source, List<long> keys)
    {
        var rows = new Dictionary<long, IndexHit>(keys.Count);
        if (keys.Count == 0)
        {
            return rows;
        }

        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM chunks c WHERE c.pk IN (");
        for (var i = 0; i < keys.Count; i++)
        {
            sql.Append(i == 0 ? "" : ",").Append("$k").Append(i);
            cmd.Parameters.AddWithValue("$k" + i.ToString(CultureInfo.InvariantCulture), keys[i]);
        }

        cmd.CommandText = sql.Append(')').ToString();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            rows[reader.GetInt64(0)] = ReadHit(reader, source, 0);
        }

        return rows;
    }

    private static IndexHit ReadHit(SqliteDataReader reader, string source, double score)
    {
        var metadata = new ChunkMetadata
        {
            Skill = reader.IsDBNull(4) ? null : reader.GetString(4),
            Status = reader.IsDBNull(5) ? null : reader.GetString(5),
            VersionHash = reader.IsDBNull(6) ? null : reader.GetString(6),
            Timestamp = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            Extra = reader.IsDBNull(8) ? ChunkMetadata.Empty.Extra : DeserializeExtra(reader.GetString(8)),
        };
        return new IndexHit(source, reader.GetString(1), reader.GetString(2), reader.GetString(3), metadata, score);
    }

    private static string SerializeExtra(IReadOnlyDictionary<string, string> extra)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in extra)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Dictionary<string, string> DeserializeExtra(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return result;
    }

    /// <summary>The in-memory BM25 index of a source at a write version; null Index: that version is ranked by FTS5.</summary>
    private readonly record struct Bm25Slot(long Version, Bm25Index? Index);
}
