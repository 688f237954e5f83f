using System.Text;
using Npgsql;
using NpgsqlTypes;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.ActivityStore.Internal;
using Reyn.PostgreSql.Internal;

namespace Reyn.PostgreSql;

/// <summary>
/// The activity store in PostgreSQL: the same query API as <see cref="SqliteActivityStore"/> over a table partitioned
/// by day or week, searched with a <c>tsvector</c>/GIN index ranked by <c>ts_rank</c>. Written by
/// <see cref="PostgresActivitySink"/>, from any number of processes and hosts at once.
/// </summary>
/// <remarks>
/// <see cref="ActivityRecord.Rank"/> of a search result is the negated <c>ts_rank</c>, so that, as with SQLite's BM25,
/// lower is better. Search ranks every match (no candidate window): the GIN index keeps that fast.
/// </remarks>
public sealed class PostgresActivityStore : IActivityStore, IAsyncDisposable, IDisposable
{
    private const string Columns = "id, ts_epoch, ts_text, project, agent, session_id, run_id, source, type, level, summary, data";
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Creates a store over <paramref name="connectionString"/>; tables are created in <paramref name="schema"/> on first use.</summary>
    public PostgresActivityStore(string connectionString, string schema = "reyn", TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(connectionString), schema, timeProvider, ownsDataSource: true)
    {
    }

    /// <summary>Creates a store over a shared <paramref name="dataSource"/> (not disposed with the store).</summary>
    public PostgresActivityStore(NpgsqlDataSource dataSource, string schema = "reyn", TimeProvider? timeProvider = null)
        : this(dataSource, schema, timeProvider, ownsDataSource: false)
    {
    }

    private PostgresActivityStore(NpgsqlDataSource dataSource, string schema, TimeProvider? timeProvider, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _schema = PgSchema.ThrowIfInvalid(schema);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<ActivityPage> ListAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns}, NULL::float8 FROM {_schema}.activity_events WHERE true");
        AppendFilter(sql, command, query, includeCursor: true);
        sql.Append(" ORDER BY id DESC LIMIT ").Append(query.EffectiveLimit);
        command.CommandText = sql.ToString();
        var events = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return new ActivityPage(events, ftsEnabled: true, fallbackUsed: false, await ReadDroppedAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<ActivityPage> SearchAsync(string text, ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var tsQuery = ToTsQuery(SearchTerms.Parse(text));
        if (tsQuery is null)
        {
            return new ActivityPage([], ftsEnabled: true, fallbackUsed: false, await ReadDroppedAsync(cancellationToken).ConfigureAwait(false));
        }

        await using var command = _dataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tsQuery });
        var sql = new StringBuilder($"SELECT {Columns}, -ts_rank(tsv, q)::float8 AS rank FROM {_schema}.activity_events, to_tsquery('simple', $1) q WHERE tsv @@ q");
        AppendFilter(sql, command, query, includeCursor: true);
        sql.Append(" ORDER BY rank, id DESC LIMIT ").Append(query.EffectiveLimit);
        command.CommandText = sql.ToString();
        var events = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return new ActivityPage(events, ftsEnabled: true, fallbackUsed: false, await ReadDroppedAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<ActivityStats> GetStatsAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var end = query.Until ?? _time.GetUtcNow();
        var start = query.Since ?? end - TimeSpan.FromHours(24);
        long total;
        DateTimeOffset? oldest = null, newest = null;
        await using (var command = _dataSource.CreateCommand())
        {
            var sql = new StringBuilder($"SELECT count(*), min(ts_epoch), max(ts_epoch) FROM {_schema}.activity_events WHERE true");
            AppendFilter(sql, command, query, includeCursor: false);
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            total = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                oldest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
                newest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            }
        }

        const long hourMs = 3_600_000;
        var hourly = new Dictionary<long, long>();
        await using (var command = _dataSource.CreateCommand())
        {
            var sql = new StringBuilder($"SELECT ts_epoch / {hourMs} AS hour, count(*) FROM {_schema}.activity_events WHERE ts_epoch >= $1 AND ts_epoch <= $2");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = start.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = end.ToUnixTimeMilliseconds() });
            AppendFilter(sql, command, query, includeCursor: false);
            sql.Append(" GROUP BY hour");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hourly[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        var buckets = new List<ActivityHistogramBucket>();
        var first = start.ToUnixTimeMilliseconds() / hourMs;
        var last = end.ToUnixTimeMilliseconds() / hourMs;
        first = Math.Max(first, last - (24 * 366));
        for (var hour = first; hour <= last; hour++)
        {
            buckets.Add(new ActivityHistogramBucket(DateTimeOffset.FromUnixTimeMilliseconds(hour * hourMs), hourly.GetValueOrDefault(hour)));
        }

        return new ActivityStats
        {
            Total = total,
            DroppedEventCount = await ReadDroppedAsync(cancellationToken).ConfigureAwait(false),
            Oldest = oldest,
            Newest = newest,
            ByType = await GroupByAsync(query, "type", cancellationToken).ConfigureAwait(false),
            BySource = await GroupByAsync(query, "source", cancellationToken).ConfigureAwait(false),
            ByLevel = await GroupByAsync(query, "level", cancellationToken).ConfigureAwait(false),
            WindowStart = start,
            WindowEnd = end,
            Hourly = buckets,
            FtsEnabled = true,
        };
    }

    /// <summary>The time partitions that exist, oldest first (their UTC start).</summary>
    public async ValueTask<IReadOnlyList<DateTime>> GetPartitionsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ActivityPartitionMaintenance.ListAsync(connection, _schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _schemaGate.Dispose();
    }

    internal static string? ToTsQuery(SearchTerms terms)
    {
        if (terms.IsEmpty)
        {
            return null;
        }

        // Terms are letters, digits and '_' only; PostgreSQL's parser splits '_' too, so split the same way and
        // join the pieces of one term (or phrase) with the followed-by operator.
        var builder = new StringBuilder();
        foreach (var term in terms.Terms)
        {
            var pieces = term.Text.Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries);
            if (pieces.Length == 0)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(" & ");
            }

            builder.Append('(');
            for (var i = 0; i < pieces.Length; i++)
            {
                builder.Append(i == 0 ? "'" : " <-> '").Append(pieces[i].ToLowerInvariant()).Append('\'');
                if (term.IsPrefix && i == pieces.Length - 1)
                {
                    builder.Append(":*");
                }
            }

            builder.Append(')');
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    internal async Task EnsureSchemaAsync(CancellationToken cancellationToken)
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
                await PgDdl.EnsureAsync(_dataSource, _schema, PgDdl.Activity(_schema), cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static void AppendFilter(StringBuilder sql, NpgsqlCommand command, ActivityQuery query, bool includeCursor)
    {
        void Add(string clause, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(clause).Append(" $").Append(command.Parameters.Count);
        }

        void AddText(string column, string? value)
        {
            if (value is not null)
            {
                Add(column + " =", new NpgsqlParameter<string> { TypedValue = value });
            }
        }

        AddText("project", query.Project);
        AddText("agent", query.Agent);
        AddText("session_id", query.Session);
        AddText("run_id", query.Run);
        AddText("source", query.Source);
        if (query.Types.Count > 0)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. query.Types] });
            sql.Append(" AND type = ANY($").Append(command.Parameters.Count).Append(')');
        }

        if (query.MinLevel is { } min && min > EventLevel.Debug)
        {
            var levels = new List<string>();
            for (var level = min; level <= EventLevel.Error; level++)
            {
                levels.Add(EventCatalog.LevelName(level));
            }

            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. levels] });
            sql.Append(" AND level = ANY($").Append(command.Parameters.Count).Append(')');
        }

        if (query.Since is { } since)
        {
            Add("ts_epoch >=", new NpgsqlParameter<long> { TypedValue = since.ToUnixTimeMilliseconds() });
            Add("ts >=", new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime.AddMilliseconds(-1), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        if (query.Until is { } until)
        {
            Add("ts_epoch <=", new NpgsqlParameter<long> { TypedValue = until.ToUnixTimeMilliseconds() });
            Add("ts <=", new NpgsqlParameter<DateTime> { TypedValue = until.UtcDateTime.AddMilliseconds(1), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        if (includeCursor && query.BeforeId is { } before)
        {
            Add("id <", new NpgsqlParameter<long> { TypedValue = before });
        }
    }

    private static async Task<List<ActivityRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<ActivityRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ActivityFilterSql.ReadRecord(reader, hasRank: reader.FieldCount > 12));
        }

        return events;
    }

    private async Task<List<ActivityCount>> GroupByAsync(ActivityQuery query, string column, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        var sql = new StringBuilder($"SELECT {column}, count(*) AS n FROM {_schema}.activity_events WHERE true");
        AppendFilter(sql, command, query, includeCursor: false);
        sql.Append(" GROUP BY ").Append(column).Append(" ORDER BY n DESC, ").Append(column).Append(" COLLATE \"C\"");
        command.CommandText = sql.ToString();
        var counts = new List<ActivityCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new ActivityCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return counts;
    }

    private async Task<long> ReadDroppedAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT value FROM {_schema}.activity_meta WHERE key = 'dropped_events'");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long n ? n : 0;
    }
}
