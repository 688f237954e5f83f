using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Reyn.Index;
using Reyn.PostgreSql.Internal;

namespace Reyn.PostgreSql;

/// <summary>
/// An <see cref="IIndexBackend"/> in PostgreSQL: one table for every source, full-text ranking with a
/// <c>tsvector</c>/GIN index and <c>ts_rank</c>, vectors stored as <c>real[]</c> with cosine similarity computed in
/// SQL, fused with the text ranking by reciprocal rank fusion (the same fusion as the SQLite backend).
/// </summary>
/// <remarks>
/// Text ranking: chunks containing every query word rank before chunks containing only some (AND first, any-word
/// top-up), each group by <c>ts_rank</c>. Words are matched with the <c>simple</c> configuration (no stemming), so the
/// behaviour is language-neutral like FTS5's default tokenizer.
/// </remarks>
public sealed class PostgresIndexBackend : IIndexBackend, IContentHashLookup, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Creates a backend over <paramref name="connectionString"/>; tables are created in <paramref name="schema"/> on first use.</summary>
    public PostgresIndexBackend(string connectionString, string schema = "reyn")
        : this(NpgsqlDataSource.Create(connectionString), schema, ownsDataSource: true)
    {
    }

    /// <summary>Creates a backend over a shared <paramref name="dataSource"/> (not disposed with the backend).</summary>
    public PostgresIndexBackend(NpgsqlDataSource dataSource, string schema = "reyn")
        : this(dataSource, schema, ownsDataSource: false)
    {
    }

    private PostgresIndexBackend(NpgsqlDataSource dataSource, string schema, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _schema = PgSchema.ThrowIfInvalid(schema);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The <c>k</c> of reciprocal rank fusion (score = Σ 1/(k + rank)). Default 60.</summary>
    public int RrfK { get; init; } = 60;

    /// <inheritdoc />
    public async ValueTask<UpsertResult> UpsertAsync(string source, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count == 0)
        {
            return new UpsertResult(0, 0);
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockSource = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", connection, tx))
        {
            lockSource.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema + "." + source });
            await lockSource.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var model = await ReadModelAsync(connection, tx, source, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in chunks)
        {
            if (chunk.Vector is not null && chunk.EmbeddingModel is { } chunkModel)
            {
                if (model is not null && !string.Equals(model, chunkModel, StringComparison.Ordinal))
                {
                    throw new IndexModelMismatchException(source, model, chunkModel);
                }

                model ??= chunkModel;
            }
        }

        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await using (var existing = new NpgsqlCommand($"SELECT content_hash FROM {_schema}.index_chunks WHERE source = $1 AND content_hash = ANY($2)", connection, tx))
        {
            existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            existing.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. chunks.Select(c => c.ContentHash)] });
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hashes.Add(reader.GetString(0));
            }
        }

        int written = 0, skipped = 0;
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO {_schema}.index_chunks (source, id, source_path, body, content_hash, skill, status, version_hash, ts, extra, vector, embedding_model, indexed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, now())
            ON CONFLICT (source, id) DO UPDATE SET source_path = excluded.source_path, body = excluded.body, content_hash = excluded.content_hash,
                skill = excluded.skill, status = excluded.status, version_hash = excluded.version_hash, ts = excluded.ts, extra = excluded.extra,
                vector = excluded.vector, embedding_model = excluded.embedding_model, indexed_at = now()
            """, connection, tx);
        foreach (var chunk in chunks)
        {
            if (!hashes.Add(chunk.ContentHash))
            {
                skipped++;
                continue;
            }

            var m = chunk.Metadata;
            upsert.Parameters.Clear();
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Id });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.SourcePath });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Text });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.ContentHash });
            upsert.Parameters.Add(Text(m.Skill));
            upsert.Parameters.Add(Text(m.Status));
            upsert.Parameters.Add(Text(m.VersionHash));
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = m.Timestamp is { } t ? t.UtcDateTime : DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(m.Extra) });
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real, Value = chunk.Vector is { } v ? v.ToArray() : DBNull.Value });
            upsert.Parameters.Add(Text(chunk.Vector is null ? null : chunk.EmbeddingModel));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            written++;
        }

        await using (var sourceRow = new NpgsqlCommand($"INSERT INTO {_schema}.index_sources (source, embedding_model) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET embedding_model = coalesce({_schema}.index_sources.embedding_model, excluded.embedding_model)", connection, tx))
        {
            sourceRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            sourceRow.Parameters.Add(Text(model));
            await sourceRow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new UpsertResult(written, skipped);
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteAsync(string source, string? sourcePath = null, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(sourcePath is null
            ? $"DELETE FROM {_schema}.index_chunks WHERE source = $1"
            : $"DELETE FROM {_schema}.index_chunks WHERE source = $1 AND source_path = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        if (sourcePath is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sourcePath });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IndexQueryResult> QueryAsync(string source, IndexQuery query, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var words = Words(query.Text);
        if (words.Count == 0)
        {
            var sql = new StringBuilder($"SELECT id, source_path, body, skill, status, version_hash, ts, extra, 0.0::float8 FROM {_schema}.index_chunks WHERE source = $1");
            await using var command = _dataSource.CreateCommand();
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            AppendFilter(sql, command, query.Filter);
            sql.Append(" ORDER BY ts DESC NULLS LAST, id LIMIT ").Append(query.TopK);
            command.CommandText = sql.ToString();
            return new IndexQueryResult(await ReadHitsAsync(command, source, cancellationToken).ConfigureAwait(false), IndexSearchMode.Filter);
        }

        var textHits = await TextQueryAsync(source, words, query, Math.Max(query.TopK, query.Vector is null ? query.TopK : query.TopK * 4), cancellationToken).ConfigureAwait(false);
        if (query.Vector is not { } vector)
        {
            return new IndexQueryResult(Cut(textHits, query.TopK), IndexSearchMode.Bm25);
        }

        var stats = await GetStatsAsync(source, cancellationToken).ConfigureAwait(false);
        if (stats.EmbeddingModel is null || stats.VectorCount == 0)
        {
            return new IndexQueryResult(Cut(textHits, query.TopK), IndexSearchMode.Bm25);
        }

        if (!string.Equals(stats.EmbeddingModel, query.EmbeddingModel, StringComparison.Ordinal))
        {
            return new IndexQueryResult(Cut(textHits, query.TopK), IndexSearchMode.Bm25,
                $"The query vector was made with '{query.EmbeddingModel}' but source '{source}' holds '{stats.EmbeddingModel}' vectors; ranked by text only. Rebuild the source or configure the '{stats.EmbeddingModel}' generator.");
        }

        var vectorHits = await VectorQueryAsync(source, vector.ToArray(), query, query.TopK * 4, cancellationToken).ConfigureAwait(false);
        var fused = new Dictionary<string, (IndexHit Hit, double Score)>(StringComparer.Ordinal);
        for (var i = 0; i < textHits.Count; i++)
        {
            fused[textHits[i].Id] = (textHits[i], 1.0 / (RrfK + i + 1));
        }

        for (var i = 0; i < vectorHits.Count; i++)
        {
            var id = vectorHits[i].Id;
            var score = 1.0 / (RrfK + i + 1);
            fused[id] = fused.TryGetValue(id, out var seen) ? (seen.Hit, seen.Score + score) : (vectorHits[i], score);
        }

        var ranked = fused.Values.OrderByDescending(v => v.Score).ThenBy(v => v.Hit.Id, StringComparer.Ordinal).Take(query.TopK)
            .Select(v => v.Hit with { Score = v.Score }).ToList();
        return new IndexQueryResult(ranked, IndexSearchMode.Hybrid);
    }

    /// <inheritdoc />
    public async ValueTask<IndexStats> GetStatsAsync(string source, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            SELECT count(*), count(c.vector), max(c.indexed_at), (SELECT embedding_model FROM {_schema}.index_sources WHERE source = $1)
            FROM {_schema}.index_chunks c WHERE c.source = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var count = reader.GetInt64(0);
        if (count == 0)
        {
            return new IndexStats(source, 0, 0, null, null);
        }

        return new IndexStats(source, count, reader.GetInt64(1), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(2) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
    }

    /// <inheritdoc />
    public async ValueTask<long> DropAsync(string source, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long dropped;
        await using (var delete = new NpgsqlCommand($"DELETE FROM {_schema}.index_chunks WHERE source = $1", connection, tx))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            dropped = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var forget = new NpgsqlCommand($"DELETE FROM {_schema}.index_sources WHERE source = $1", connection, tx))
        {
            forget.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return dropped;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsHashAsync(string source, string contentHash, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {_schema}.index_chunks WHERE source = $1 AND content_hash = $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = contentHash });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        _schemaGate.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _schemaGate.Dispose();
    }

    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var word = text[start..i].ToLowerInvariant();
            if (!words.Contains(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static List<IndexHit> Cut(List<IndexHit> hits, int topK) => hits.Count <= topK ? hits : hits.GetRange(0, topK);

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private async Task<List<IndexHit>> TextQueryAsync(string source, List<string> words, IndexQuery query, int limit, CancellationToken cancellationToken)
    {
        // Words are letters and digits only, so quoting them as lexemes is safe; the OR query finds candidates and
        // the AND query ranks chunks holding every word first.
        var any = string.Join(" | ", words.Select(w => "'" + w + "'"));
        var all = string.Join(" & ", words.Select(w => "'" + w + "'"));
        var sql = new StringBuilder($"""
            SELECT id, source_path, body, skill, status, version_hash, ts, extra,
                   (CASE WHEN tsv @@ to_tsquery('simple', $3) THEN 1.0 ELSE 0.0 END) + ts_rank(tsv, to_tsquery('simple', $2))::float8 AS score
            FROM {_schema}.index_chunks WHERE source = $1 AND tsv @@ to_tsquery('simple', $2)
            """);
        await using var command = _dataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = any });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = all });
        AppendFilter(sql, command, query.Filter);
        sql.Append(" ORDER BY score DESC, ts DESC NULLS LAST, id LIMIT ").Append(limit);
        command.CommandText = sql.ToString();
        return await ReadHitsAsync(command, source, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<IndexHit>> VectorQueryAsync(string source, float[] vector, IndexQuery query, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"""
            SELECT id, source_path, body, skill, status, version_hash, ts, extra, sim FROM (
              SELECT c.*, (SELECT sum(a::float8 * b) / nullif(sqrt(sum(a::float8 * a)) * sqrt(sum(b::float8 * b)), 0)
                           FROM unnest(c.vector, $2::real[]) AS u(a, b)) AS sim
              FROM {_schema}.index_chunks c WHERE c.source = $1 AND c.vector IS NOT NULL AND cardinality(c.vector) = cardinality($2::real[])
            """);
        await using var command = _dataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = vector });
        AppendFilter(sql, command, query.Filter, "c.");
        sql.Append(") v WHERE sim IS NOT NULL ORDER BY sim DESC, id LIMIT ").Append(limit);
        command.CommandText = sql.ToString();
        return await ReadHitsAsync(command, source, cancellationToken).ConfigureAwait(false);
    }

    private static void AppendFilter(StringBuilder sql, NpgsqlCommand command, IndexFilter filter, string prefix = "")
    {
        void Add(string clause, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(prefix).Append(clause).Append(" $").Append(command.Parameters.Count);
        }

        if (filter.Skill is { } skill)
        {
            Add("skill =", new NpgsqlParameter<string> { TypedValue = skill });
        }

        if (filter.Status is { } status)
        {
            Add("status =", new NpgsqlParameter<string> { TypedValue = status });
        }

        if (filter.VersionHash is { } version)
        {
            Add("version_hash =", new NpgsqlParameter<string> { TypedValue = version });
        }

        if (filter.From is { } from)
        {
            Add("ts >=", new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        if (filter.To is { } to)
        {
            Add("ts <", new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }
    }

    private static async Task<List<IndexHit>> ReadHitsAsync(NpgsqlCommand command, string source, CancellationToken cancellationToken)
    {
        var hits = new List<IndexHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var metadata = new ChunkMetadata
            {
                Skill = reader.IsDBNull(3) ? null : reader.GetString(3),
                Status = reader.IsDBNull(4) ? null : reader.GetString(4),
                VersionHash = reader.IsDBNull(5) ? null : reader.GetString(5),
                Timestamp = reader.IsDBNull(6) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)),
                Extra = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7)) ?? [],
            };
            hits.Add(new IndexHit(source, reader.GetString(0), reader.GetString(1), reader.GetString(2), metadata, reader.GetDouble(8)));
        }

        return hits;
    }

    private async Task<string?> ReadModelAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT embedding_model FROM {_schema}.index_sources WHERE source = $1", connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await PgDdl.EnsureAsync(_dataSource, _schema, PgDdl.Index(_schema), cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
