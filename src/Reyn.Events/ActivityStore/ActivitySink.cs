using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events.ActivityStore.Internal;

namespace Reyn.Events.ActivityStore;

/// <summary>
/// Persists every event into the SQLite activity store (<c>.reyn/events.db</c>): a bounded queue drained by one
/// background writer that commits in batches. Best-effort: <see cref="Write"/> never throws and never blocks; when the
/// queue is full or the database is unavailable the event is counted in <see cref="DroppedCount"/>.
/// </summary>
/// <remarks>
/// The database opens lazily on the first batch; if it cannot be opened the writer tries again after
/// <see cref="ActivityStoreOptions.ReopenInterval"/> (never given up for the process). Retention runs at open and then
/// at most every <see cref="ActivityStoreOptions.PruneInterval"/>. Several processes may write the same file at once:
/// each batch is one <c>BEGIN IMMEDIATE</c> transaction and lock waits are bounded by <c>busy_timeout</c>.
/// Drops are also added to a counter in the file when a later batch commits, so every reader sees them.
/// </remarks>
public sealed class ActivitySink : IFlushableEventSink, IEventSinkDiagnostics, IAsyncDisposable, IDisposable
{
    private readonly ActivityStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventBatchQueue _queue;
    private ActivityWriter? _writer;
    private DateTimeOffset _nextOpenAttempt = DateTimeOffset.MinValue;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private long _dropped;
    private long _unrecordedDrops;
    private long _written;
    private long _pruned;
    private string? _lastError;
    private int _disposed;

    /// <summary>Creates the sink over the database file at <paramref name="path"/> (opened lazily).</summary>
    public ActivitySink(string path, ActivityStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<ActivitySink>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _options = options ?? new ActivityStoreOptions();
        if (_options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        Path = System.IO.Path.GetFullPath(path);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _queue = new EventBatchQueue(_options.QueueCapacity, _options.BatchSize, batch =>
        {
            WriteBatch(batch);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Events accepted but never persisted (queue full, database unavailable, a failed batch).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The reason for the most recent drop, or <see langword="null"/>.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Events committed to the database by this sink.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Rows this sink deleted by retention.</summary>
    public long PrunedCount => Interlocked.Read(ref _pruned);

    /// <summary>Whether the database is open at the moment.</summary>
    public bool IsOpen => Volatile.Read(ref _writer) is not null;

    /// <inheritdoc />
    public void Write(ReynEvent evt)
    {
        if (evt is null)
        {
            return;
        }

        if (Volatile.Read(ref _disposed) != 0 || !_queue.TryEnqueue(evt))
        {
            Drop(1, Volatile.Read(ref _disposed) != 0 ? "the activity sink is disposed" : "the activity store queue is full");
        }
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Persists what is queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.CompleteAsync().ConfigureAwait(false);
        _writer?.Dispose();
        _writer = null;
    }

    private void WriteBatch(List<ReynEvent> batch)
    {
        var writer = EnsureOpen();
        if (writer is null)
        {
            Drop(batch.Count, null);
            return;
        }

        var drops = Interlocked.Exchange(ref _unrecordedDrops, 0);
        try
        {
            writer.Insert(batch, drops);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _unrecordedDrops, drops);
            Drop(batch.Count, $"writing {batch.Count} event(s) to {Path} failed: {ex.Message}");
            _logger.LogWarning(ex, "Activity store {Path}: a batch of {Count} events was dropped", Path, batch.Count);
            CloseWriter();
            return;
        }

        var now = _time.GetUtcNow();
        if (now >= _nextPrune)
        {
            PruneSafely(writer, now);
        }
    }

    private ActivityWriter? EnsureOpen()
    {
        if (_writer is { } open)
        {
            return open;
        }

        var now = _time.GetUtcNow();
        if (now < _nextOpenAttempt)
        {
            return null;
        }

        try
        {
            var writer = ActivityWriter.Open(Path, _options);
            Volatile.Write(ref _writer, writer);
            if (!writer.FtsEnabled && _options.FullTextSearch)
            {
                _logger.LogWarning("Activity store {Path}: FTS5 is unavailable; writes continue and search uses a LIKE fallback", Path);
            }

            PruneSafely(writer, now);
            return writer;
        }
        catch (Exception ex)
        {
            _nextOpenAttempt = now + _options.ReopenInterval;
            Volatile.Write(ref _lastError, $"the activity store {Path} could not be opened: {ex.Message}");
            _logger.LogWarning(ex, "Activity store {Path} could not be opened; events are dropped until it opens (next try in {Interval})", Path, _options.ReopenInterval);
            return null;
        }
    }

    private void PruneSafely(ActivityWriter writer, DateTimeOffset now)
    {
        _nextPrune = now + _options.PruneInterval;
        try
        {
            Interlocked.Add(ref _pruned, writer.Prune(now));
        }
        catch (Exception ex)
        {
            // Retention is housekeeping: a failure (for example another process holding the lock too long) is retried next interval.
            _logger.LogWarning(ex, "Activity store {Path}: retention failed; it runs again later", Path);
        }
    }

    private void CloseWriter()
    {
        var writer = _writer;
        Volatile.Write(ref _writer, null);
        try
        {
            writer?.Dispose();
        }
        catch (Exception)
        {
            // Closing a broken connection must not stop the writer loop.
        }
    }

    private void Drop(int count, string? reason)
    {
        Interlocked.Add(ref _dropped, count);
        Interlocked.Add(ref _unrecordedDrops, count);
        if (reason is not null)
        {
            Volatile.Write(ref _lastError, reason);
        }
    }
}
