using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Reyn.Events;
using Reyn.Events.Serialization;
using Reyn.PostgreSql.Internal;
using Reyn.State;

namespace Reyn.PostgreSql;

/// <summary>
/// An <see cref="IStateLog"/> in PostgreSQL, for hosts that must keep state off the local disk.
/// </summary>
/// <remarks>
/// <para>Seq is gap-free and strictly increasing across every process that shares the schema: a single-row counter is
/// advanced in the same transaction that inserts the records, so the row lock orders writers and a rolled-back
/// transaction gives its seqs back. <see cref="AppendAsync"/> completes when that transaction has committed (durable
/// under the server's <c>synchronous_commit</c>). Concurrent appenders share one transaction: a single writer loop
/// takes every pending append and commits them together (group commit).</para>
/// <para>Records are stored as their JSON fields; the CRC of the file log is not needed because PostgreSQL checks its
/// own pages and WAL.</para>
/// </remarks>
public sealed class PostgresStateLog : IStateLog, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;
    private readonly FrozenSet<string> _kinds;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _lastDurableSeq;
    private int _disposed;

    private PostgresStateLog(NpgsqlDataSource dataSource, bool ownsDataSource, string schema, IEnumerable<string> extraKinds, TimeProvider time, long lastSeq)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schema = schema;
        _time = time;
        _kinds = WalKinds.All.Concat(extraKinds).ToFrozenSet(StringComparer.Ordinal);
        _lastDurableSeq = lastSeq;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc />
    public long LastDurableSeq => Volatile.Read(ref _lastDurableSeq);

    /// <summary>Records committed per transaction so far, summed (with <see cref="CommitCount"/>: the group-commit ratio).</summary>
    public long CommittedRecordCount => Interlocked.Read(ref _committedRecords);

    /// <summary>Transactions committed so far.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    private long _committedRecords;
    private long _commits;

    /// <summary>Opens the log in <paramref name="schema"/>, creating its tables when missing.</summary>
    public static Task<PostgresStateLog> OpenAsync(string connectionString, string schema = "reyn", IEnumerable<string>? extraKinds = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return OpenAsync(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, schema, extraKinds, timeProvider, cancellationToken);
    }

    /// <summary>Opens the log on a shared <paramref name="dataSource"/> (not disposed with the log).</summary>
    public static Task<PostgresStateLog> OpenAsync(NpgsqlDataSource dataSource, string schema = "reyn", IEnumerable<string>? extraKinds = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return OpenAsync(dataSource, ownsDataSource: false, schema, extraKinds, timeProvider, cancellationToken);
    }

    private static async Task<PostgresStateLog> OpenAsync(NpgsqlDataSource dataSource, bool ownsDataSource, string schema, IEnumerable<string>? extraKinds, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        PgSchema.ThrowIfInvalid(schema);
        var kinds = extraKinds?.ToArray() ?? [];
        foreach (var kind in kinds)
        {
            if (!WalKinds.IsWellFormed(kind))
            {
                throw new ArgumentException($"Extra WAL kind '{kind}' is not lowercase snake_case of 1-64 characters.", nameof(extraKinds));
            }
        }

        try
        {
            await PgDdl.EnsureAsync(dataSource, schema, PgDdl.StateLog(schema), cancellationToken).ConfigureAwait(false);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT last_seq FROM {schema}.wal_counter WHERE id = 1", connection);
            var last = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new PostgresStateLog(dataSource, ownsDataSource, schema, kinds, timeProvider ?? TimeProvider.System, last);
        }
        catch
        {
            if (ownsDataSource)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<long> AppendAsync(string kind, IEnumerable<KeyValuePair<string, object?>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(fields);
        if (!_kinds.Contains(kind))
        {
            throw new ArgumentException(
                $"'{kind}' is not a registered WAL kind. Use one of WalKinds.All, or register it with ReynPostgreSqlOptions.ExtraWalKinds.",
                nameof(kind));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var pending = new PendingAppend(kind, SerializeFields(fields), _time.GetUtcNow().UtcDateTime);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresStateLog));
        }

        return new ValueTask<long>(pending.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WalRecord> ReadFromAsync(long fromSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT seq, ts, kind, fields FROM {_schema}.wal WHERE seq >= $1 AND seq <= (SELECT last_seq FROM {_schema}.wal_counter WHERE id = 1) ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromSeq });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var doc = JsonDocument.Parse(reader.GetString(3));
            var ts = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
            yield return new WalRecord(reader.GetInt64(0), ts, reader.GetString(2), doc.RootElement.Clone());
        }

    }

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Completes pending appends, stops the writer and releases the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string SerializeFields(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in fields)
            {
                if (key is "seq" or "ts" or "kind" or "crc")
                {
                    throw new ArgumentException($"The field name '{key}' is reserved by the WAL record (seq, ts, kind, crc); rename the field.", nameof(fields));
                }

                json.WritePropertyName(key);
                JsonValueWriter.WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _pending.Reader;
        var group = new List<PendingAppend>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < 4096 && reader.TryRead(out var item))
            {
                group.Add(item);
            }

            try
            {
                var last = await CommitAsync(group).ConfigureAwait(false);
                var first = last - group.Count + 1;
                InterlockedMax(ref _lastDurableSeq, last);
                Interlocked.Add(ref _committedRecords, group.Count);
                Interlocked.Increment(ref _commits);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Completion.TrySetResult(first + i);
                }
            }
            catch (Exception ex)
            {
                var error = new IOException($"Appending {group.Count} WAL record(s) to PostgreSQL schema '{_schema}' failed; nothing of this group was written (seq stays gap-free). Retry the append. {ex.Message}", ex);
                foreach (var item in group)
                {
                    item.Completion.TrySetException(error);
                }
            }

            group.Clear();
        }
    }

    private async Task<long> CommitAsync(List<PendingAppend> group)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
        long last;
        await using (var advance = new NpgsqlCommand($"UPDATE {_schema}.wal_counter SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq", connection, tx))
        {
            advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = group.Count });
            last = (long)(await advance.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        var seqs = new long[group.Count];
        var stamps = new DateTime[group.Count];
        var kinds = new string[group.Count];
        var fields = new string[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            seqs[i] = last - group.Count + 1 + i;
            stamps[i] = group[i].Timestamp;
            kinds[i] = group[i].Kind;
            fields[i] = group[i].Fields;
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO {_schema}.wal (seq, ts, kind, fields) SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[])", connection, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = seqs });
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = stamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = kinds });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = fields });
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await tx.CommitAsync().ConfigureAwait(false);
        return last;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed class PendingAppend(string kind, string fields, DateTime timestamp)
    {
        public string Kind { get; } = kind;

        public string Fields { get; } = fields;

        public DateTime Timestamp { get; } = timestamp;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
