using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Reyn.Events;
using Reyn.Events.ActivityStore.Internal;
using Reyn.PostgreSql.Internal;

namespace Reyn.PostgreSql;

/// <summary>
/// The write side of <see cref="PostgresActivityStore"/>: an <see cref="IEventSink"/> that buffers events and writes
/// them in the background, one binary <c>COPY</c> per batch. Many processes and hosts may write to one store at once.
/// </summary>
/// <remarks>
/// Like every sink it never throws into the emitter and never blocks it: when the queue is full or the server is
/// unreachable, events are dropped and counted (<see cref="DroppedCount"/>, and the store's dropped counter once it
/// is reachable again). Partitions are created on demand; expired ones are dropped every
/// <see cref="ReynPostgreSqlOptions.RetentionInterval"/>.
/// </remarks>
public sealed class PostgresActivitySink : IFlushableEventSink, IEventSinkDiagnostics, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly ReynPostgreSqlOptions _options;
    private readonly string _schema;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PostgresActivityStore _store;
    private readonly EventBatchQueue _queue;
    private readonly HashSet<DateTime> _knownPartitions = [];
    private readonly Utf8ActivityRows _rows = new();
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private DateTimeOffset _nextRetention = DateTimeOffset.MinValue;
    private long _dropped;
    private long _unrecordedDrops;
    private long _written;
    private long _droppedPartitionRows;
    private string? _lastError;
    private int _disposed;

    /// <summary>Creates a sink; <paramref name="options"/> carries the connection string and schema.</summary>
    public PostgresActivitySink(ReynPostgreSqlOptions options, TimeProvider? timeProvider = null, ILogger<PostgresActivitySink>? logger = null)
        : this(null, options, timeProvider, logger)
    {
    }

    /// <summary>Creates a sink over a shared <paramref name="dataSource"/> (not disposed with the sink).</summary>
    public PostgresActivitySink(NpgsqlDataSource? dataSource, ReynPostgreSqlOptions options, TimeProvider? timeProvider = null, ILogger<PostgresActivitySink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _options = options;
        _schema = options.Schema;
        _ownsDataSource = dataSource is null;
        _dataSource = dataSource ?? NpgsqlDataSource.Create(options.ConnectionString!);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _store = new PostgresActivityStore(_dataSource, _schema, _time);
        _queue = new EventBatchQueue(options.QueueCapacity, options.BatchSize, batch => new ValueTask(WriteBatchAsync(batch)));
    }

    /// <inheritdoc />
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Events written so far.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Rows removed by retention so far (whole partitions dropped).</summary>
    public long RetiredCount => Interlocked.Read(ref _droppedPartitionRows);

    /// <inheritdoc />
    public void Write(ReynEvent evt)
    {
        if (evt is null)
        {
            return;
        }

        if (Volatile.Read(ref _disposed) != 0 || !_queue.TryEnqueue(evt))
        {
            Drop(1, Volatile.Read(ref _disposed) != 0 ? "the PostgreSQL activity sink is disposed" : "the PostgreSQL activity queue is full");
        }
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    /// <summary>Drops every partition that ended before now minus the retention; returns the rows they held.</summary>
    public async ValueTask<long> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        if (_options.ActivityRetention <= TimeSpan.Zero)
        {
            return 0;
        }

        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ActivityPartitionMaintenance.DropExpiredAsync(connection, _schema, _time.GetUtcNow() - _options.ActivityRetention, _options.ActivityPartitioning, cancellationToken).ConfigureAwait(false);
        lock (_knownPartitions)
        {
            _knownPartitions.Clear();
        }

        Interlocked.Add(ref _droppedPartitionRows, rows);
        return rows;
    }

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.CompleteAsync().ConfigureAwait(false);
        _rows.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteBatchAsync(List<ReynEvent> batch)
    {
        var now = _time.GetUtcNow();
        if (now < _nextAttempt)
        {
            Drop(batch.Count, null);
            return;
        }

        var drops = Interlocked.Exchange(ref _unrecordedDrops, 0);
        try
        {
            _rows.Encode(batch); // before a connection is taken
            await _store.EnsureSchemaAsync(CancellationToken.None).ConfigureAwait(false);
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await EnsurePartitionsAsync(connection, batch).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (var import = await connection.BeginBinaryImportAsync(
                $"COPY {_schema}.activity_events (ts, ts_epoch, ts_text, project, agent, session_id, run_id, source, type, level, summary, data) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
            {
                for (var row = 0; row < _rows.Count; row++)
                {
                    var ms = _rows.TimestampMs(row);
                    await import.StartRowAsync().ConfigureAwait(false);
                    await import.WriteAsync(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await import.WriteAsync(ms, NpgsqlDbType.Bigint).ConfigureAwait(false);
                    for (var column = ActivityColumn.Timestamp; column <= ActivityColumn.Summary; column++)
                    {
                        await WriteTextAsync(import, _rows.GetString(row, column)).ConfigureAwait(false);
                    }

                    // PostgreSQL text cannot hold NUL characters.
                    await import.WriteAsync(_rows.GetString(row, ActivityColumn.Data)!.Replace("\0", string.Empty, StringComparison.Ordinal), NpgsqlDbType.Text).ConfigureAwait(false);
                }

                await import.CompleteAsync().ConfigureAwait(false);
            }

            if (drops > 0)
            {
                await using var addDropped = new NpgsqlCommand(
                    $"INSERT INTO {_schema}.activity_meta (key, value) VALUES ('dropped_events', $1) ON CONFLICT (key) DO UPDATE SET value = {_schema}.activity_meta.value + excluded.value",
                    connection, tx);
                addDropped.Parameters.Add(new NpgsqlParameter<long> { TypedValue = drops });
                await addDropped.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await tx.CommitAsync().ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _unrecordedDrops, drops);
            _nextAttempt = now + _options.ReconnectInterval;
            lock (_knownPartitions)
            {
                _knownPartitions.Clear();
            }

            Drop(batch.Count, $"writing {batch.Count} event(s) to PostgreSQL schema '{_schema}' failed: {ex.Message}");
            _logger.LogWarning(ex, "PostgreSQL activity store {Schema}: a batch of {Count} events was dropped (next try in {Interval})", _schema, batch.Count, _options.ReconnectInterval);
            return;
        }

        if (now >= _nextRetention)
        {
            _nextRetention = now + _options.RetentionInterval;
            try
            {
                await ApplyRetentionAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "PostgreSQL activity store {Schema}: dropping expired partitions failed; it runs again later", _schema);
            }
        }
    }

    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, List<ReynEvent> batch)
    {
        foreach (var evt in batch)
        {
            var start = ActivityPartitions.StartOf(evt.Timestamp, _options.ActivityPartitioning);
            bool known;
            lock (_knownPartitions)
            {
                known = _knownPartitions.Contains(start);
            }

            if (!known)
            {
                await ActivityPartitionMaintenance.EnsureAsync(connection, _schema, start, _options.ActivityPartitioning, CancellationToken.None).ConfigureAwait(false);
                lock (_knownPartitions)
                {
                    _knownPartitions.Add(start);
                }
            }
        }
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    private void Drop(long count, string? reason)
    {
        Interlocked.Add(ref _dropped, count);
        Interlocked.Add(ref _unrecordedDrops, count);
        if (reason is not null)
        {
            Volatile.Write(ref _lastError, reason);
        }
    }
}
