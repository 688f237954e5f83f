using System.Collections.Frozen;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events.Internal;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// The file WAL: one JSON object per line in <c>.reyn/state/wal.jsonl</c>, each with <c>seq</c>, <c>ts</c>,
/// <c>kind</c>, its fields and a CRC32C. Appenders serialize straight into one pending buffer under a lock.
/// In <see cref="DurabilityMode.Always"/> an appender that finds no write in flight leads: it writes and syncs the
/// pending batch on its own thread and returns already completed (no thread hop). Appenders that arrive while a sync
/// is in flight join the next batch and wait; when the leader is done, the writer thread writes, syncs and completes
/// that whole batch at once (group commit); under sustained concurrency it first waits, for at most one sync's duration,
/// until as many appenders have joined as the last group held. In the other modes the writer thread writes in the background.
/// </summary>
/// <remarks>
/// <para>Opening recovers: a torn or corrupt tail is cut and its bytes are kept in a dated file beside the log
/// (<see cref="Recovery"/>); a corrupt record followed by valid ones throws <see cref="StateLogCorruptException"/>.
/// A lock file stops a second writer (<see cref="StateLogLockedException"/>).</para>
/// <para>Write or sync errors are retried with exponential backoff; after the last attempt the log is latched
/// failed and every append throws <see cref="StateLogFailedException"/>. A record is never acknowledged before
/// it is durable under the configured <see cref="DurabilityMode"/>.</para>
/// </remarks>
public sealed class FileStateLog : IStateLog, IDisposable
{
    private const int WriteThreshold = 1024 * 1024;

    private readonly object _gate = new();
    private readonly object _ioLock = new();
    private readonly object _swapGate = new();
    private readonly string _path;
    private readonly DurabilityMode _mode;
    private readonly FrozenSet<string> _kinds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileStateLogOptions _options;
    private readonly Func<string, IWalFile> _fileFactory;
    private readonly WalLock _lock;
    private readonly WalRecordWriter _records;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _writerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer? _timer;
    private readonly Channel<WalRecord> _observerQueue = Channel.CreateUnbounded<WalRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _observerPump;

    // Guarded by _gate.
    private WalBuffer _active;
    private WalBuffer? _spare;
    private long _lastAssignedSeq;
    private CommitGroup? _group;
    private bool _flushRequested;
    private bool _tick;
    private bool _disposing;
    private bool _writerWaiting;
    private bool _writing; // a batch is in flight (on the writer thread or on an appender leading inline)
    private bool _contended; // the last synced batch held more than one record: leave the syncs to the writer thread
    private long _lastGroupRecords; // records in the last synced batch: how many appenders the next group waits for
    private long _batchStartSeq; // the last seq of the batch taken before the pending one
    private StateLogFailedException? _failure;
    private Action<WalRecord>[] _observers = [];

    // Writer thread only: records written but not yet synced, kept for the observers until the next sync.
    private readonly WalBuffer _unpublished = new(256);

    // Guarded by _ioLock (the writer thread and truncation).
    private IWalFile _file;
    private long _fileLength;
    private long _syncedLength;

    // A moving average of how long one write + sync takes (Stopwatch ticks); updated by whoever writes a batch (one at a time).
    private long _syncTicks;

    // Published by the writer.
    private long _lastDurableSeq;
    private long _durableLength; // under _swapGate

    private FileStateLog(FileStateLogOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _path = System.IO.Path.GetFullPath(options.Path);
        _mode = options.Durability;
        _time = time;
        _logger = logger;
        _fileFactory = options.FileFactory ?? (p => new WalFile(p));
        _kinds = WalKinds.All.Concat(options.ExtraKinds).ToFrozenSet(StringComparer.Ordinal);
        var directory = System.IO.Path.GetDirectoryName(_path)!;
        RequiredDirectory.Create(directory, "WAL", "Point FileStateLogOptions.Path (with AddReyn: ReynOptions.RootDirectory) at a directory this process can write.");
        _lock = WalLock.Acquire(_path);
        try
        {
            var existed = File.Exists(_path);
            Recovery = Recover();
            _file = _fileFactory(_path);
            if (!existed)
            {
                NativeSync.SyncDirectory(directory);
            }

            _fileLength = _file.Length;
            _syncedLength = _fileLength;
            _durableLength = _fileLength;
            _lastAssignedSeq = Recovery.LastSeq;
            _batchStartSeq = Recovery.LastSeq;
            _lastDurableSeq = Recovery.LastSeq;
        }
        catch
        {
            _lock.Dispose();
            throw;
        }

        // Batched/None buffer up to the write threshold between writes; Always batches only what waits for one sync. A
        // burst that outruns the disk grows a buffer up to the back-pressure bound (plus the record that crosses it).
        var capacity = _mode == DurabilityMode.Always ? 64 * 1024 : 4 * WriteThreshold;
        var growthLimit = (int)Math.Min((long)_options.MaxPendingBytes + WriteThreshold, Array.MaxLength);
        _active = new WalBuffer(capacity, growthLimit);
        _spare = new WalBuffer(capacity, growthLimit);
        _records = new WalRecordWriter();
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "reyn-wal-writer" };
        _writer.Start();
        if (_mode != DurabilityMode.Always)
        {
            _timer = _time.CreateTimer(static s => ((FileStateLog)s!).OnTick(), this, options.BatchInterval, options.BatchInterval);
        }

        _observerPump = Task.Run(PumpObserversAsync);
    }

    /// <summary>The WAL file.</summary>
    public string Path => _path;

    /// <summary>The durability mode appends complete under.</summary>
    public DurabilityMode Durability => _mode;

    /// <summary>What opening the log found: valid records, last seq, and any tail that was cut and where it was kept.</summary>
    public WalRecoveryReport Recovery { get; }

    /// <inheritdoc />
    public long LastDurableSeq => Volatile.Read(ref _lastDurableSeq);

    /// <summary>Whether the log is latched failed after a persistent I/O error.</summary>
    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>
    /// Opens (and recovers) the WAL at <see cref="FileStateLogOptions.Path"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="StateLogCorruptException">A corrupt record is followed by valid records.</exception>
    /// <exception cref="StateLogLockedException">Another writer has the log open.</exception>
    /// <exception cref="IOException">The log's directory cannot be created (the message names it and the option to change).</exception>
    public static FileStateLog Open(FileStateLogOptions options, TimeProvider? timeProvider = null, ILogger<FileStateLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new FileStateLog(options, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <inheritdoc />
    public ValueTask<long> AppendAsync(string kind, IEnumerable<KeyValuePair<string, object?>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(fields);
        if (!_kinds.Contains(kind))
        {
            throw new ArgumentException(
                $"'{kind}' is not a registered WAL kind. Use one of WalKinds.All, or register it with FileStateLogOptions.ExtraKinds / ReynStateOptions.ExtraKinds.",
                nameof(kind));
        }

        cancellationToken.ThrowIfCancellationRequested();
        long seq;
        CommitGroup? group = null;
        Batch lead = default;

        // Leading inline keeps this thread until the sync is done. Only do it when nothing else is queued to run:
        // queued work may be other appenders that should join this group instead of running after it one by one.
        var quiet = _mode == DurabilityMode.Always && ThreadPool.PendingWorkItemCount == 0;
        lock (_gate)
        {
            while (true)
            {
                ThrowIfUnavailable();
                if (_active.Length < _options.MaxPendingBytes)
                {
                    break;
                }

                Monitor.Wait(_gate);
            }

            seq = _lastAssignedSeq + 1;
            var start = _active.Length;
            try
            {
                _records.Write(_active, seq, _time.GetUtcNow().UtcDateTime, kind, fields);
            }
            catch
            {
                _active.Truncate(start);
                throw;
            }

            _lastAssignedSeq = seq;
            if (_mode == DurabilityMode.Always)
            {
                if (quiet && !_writing && !_contended)
                {
                    // Nothing in flight, nothing queued and no recent concurrency: lead this batch inline on this thread. Whoever
                    // arrives meanwhile joins the next batch.
                    lead = TakeBatch();
                }
                else
                {
                    // A sync is in flight (wait for the next one, which the current leader hands to the writer or the
                    // writer starts as soon as this one is done: never a second sync in parallel), or appenders are
                    // concurrent: the writer thread commits the groups so no pool thread blocks in fsync.
                    group = _group ??= new CommitGroup();
                    if (!_writing && _writerWaiting)
                    {
                        Monitor.Pulse(_gate);
                    }
                }
            }
            else if (_writerWaiting && _active.Length >= WriteThreshold)
            {
                Monitor.Pulse(_gate);
            }
        }

        if (lead.Buffer is not null)
        {
            return WriteBatch(lead) ? new ValueTask<long>(seq) : ValueTask.FromException<long>(_failure!);
        }

        return group is null ? new ValueTask<long>(seq) : group.WaitAsync(seq, cancellationToken);
    }

    /// <summary>
    /// Completes when every record appended before the call is durable (in <see cref="DurabilityMode.Batched"/> this
    /// forces the sync now; in <see cref="DurabilityMode.None"/> it waits until the records are written).
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        CommitGroup group;
        long target;
        lock (_gate)
        {
            ThrowIfUnavailable();
            target = _lastAssignedSeq;
            if (target <= LastDurableSeq)
            {
                return ValueTask.CompletedTask;
            }

            _flushRequested = true;
            group = _group ??= new CommitGroup();
            if (_writerWaiting)
            {
                Monitor.Pulse(_gate);
            }
        }

        return new ValueTask(group.WaitAsync(target, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WalRecord> ReadFromAsync(long fromSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FileStream stream;
        long limit;
        lock (_swapGate)
        {
            limit = _durableLength;
            stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }

        await using (stream.ConfigureAwait(false))
        {
            await foreach (var record in WalFileReader.ReadVerifiedAsync(stream, _path, limit, fromSeq, onProblem: null, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Registers an observer called with each record after it is durable, in seq order, on a background task.
    /// Observers are isolated: an exception is logged and never reaches the appender or the other observers.
    /// Dispose the result to unregister.
    /// </summary>
    public IDisposable Subscribe(Action<WalRecord> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }

        return new Subscription(this, observer);
    }

    /// <summary>
    /// Drops records with <c>seq &lt; floor</c>, except the highest record (it carries the seq watermark across
    /// restarts) and records whose kind is in <paramref name="alwaysKeepKinds"/>. Writes a temp file, syncs it, renames
    /// it over the log and syncs the directory, so a crash at any point leaves either the old or the new log.
    /// Appends continue meanwhile. <paramref name="floor"/> &lt;= 1 is a no-op.
    /// </summary>
    public async ValueTask<WalTruncationResult> TruncateBelowAsync(long floor, IReadOnlyCollection<string>? alwaysKeepKinds = null, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Truncate(floor, alwaysKeepKinds), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Writes and syncs everything pending, stops the writer and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposing)
            {
                goto wait;
            }

            _disposing = true;
            Monitor.PulseAll(_gate);
        }

    wait:
        await _writerExited.Task.ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        _observerQueue.Writer.TryComplete();
        await _observerPump.ConfigureAwait(false);
        lock (_ioLock)
        {
            _file.Dispose();
        }

        _lock.Dispose();
    }

    private void ThrowIfUnavailable()
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        ObjectDisposedException.ThrowIf(_disposing, this);
    }

    private void OnTick()
    {
        lock (_gate)
        {
            _tick = true;
            if (_writerWaiting)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    private void WriterLoop()
    {
        try
        {
            while (true)
            {
                Batch batch;
                bool gather;
                lock (_gate)
                {
                    while (!HasWork())
                    {
                        _writerWaiting = true;
                        Monitor.Wait(_gate);
                        _writerWaiting = false;
                    }

                    if (_failure is not null)
                    {
                        return;
                    }

                    gather = _mode == DurabilityMode.Always && _lastGroupRecords > 1 && !_disposing && !_flushRequested &&
                        _lastAssignedSeq - _batchStartSeq < _lastGroupRecords;
                    batch = gather ? default : TakeBatch();
                }

                if (gather)
                {
                    GatherGroup();
                    lock (_gate)
                    {
                        if (_failure is not null)
                        {
                            return;
                        }

                        batch = TakeBatch();
                    }
                }

                if (!WriteBatch(batch) || (batch.ExitAfter && IsDrained()))
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "The WAL writer for {Path} stopped unexpectedly.", _path);
            Latch(ex, null);
        }
        finally
        {
            _writerExited.TrySetResult();
        }
    }

    /// <summary>
    /// Under concurrency, waits (yielding the CPU to the appenders) until as many appenders have joined the pending group
    /// as joined the last one, or for at most one sync's duration. The appenders released by the last sync come back a
    /// few microseconds apart; syncing the first arrivals alone would split every round into two syncs or more. Waiting
    /// longer than a sync would cost more than the second sync it saves.
    /// </summary>
    private void GatherGroup()
    {
        var target = Volatile.Read(ref _lastGroupRecords);
        var deadline = Stopwatch.GetTimestamp() + Math.Min(_syncTicks, Stopwatch.Frequency / 1000);
        while (Volatile.Read(ref _lastAssignedSeq) - Volatile.Read(ref _batchStartSeq) < target && Stopwatch.GetTimestamp() < deadline && !Volatile.Read(ref _disposing))
        {
            Thread.Yield();
        }
    }

    /// <summary>Swaps the active buffer out as the next batch. Caller holds <see cref="_gate"/>.</summary>
    private Batch TakeBatch()
    {
        var batch = new Batch(
            _active,
            _lastAssignedSeq - _batchStartSeq,
            _lastAssignedSeq,
            _group,
            _mode == DurabilityMode.Always || (_mode == DurabilityMode.Batched && (_flushRequested || _tick || _disposing)),
            _disposing);
        _batchStartSeq = _lastAssignedSeq;
        _active = _spare!;
        _spare = null;
        _group = null;
        _flushRequested = false;
        _tick = false;
        _writing = true;
        Monitor.PulseAll(_gate);
        return batch;
    }

    /// <summary>Writes (and syncs) one batch, publishes durability and completes its appenders. False when the log latched failed.</summary>
    private bool WriteBatch(Batch batch)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            lock (_ioLock)
            {
                WriteWithRetry(batch.Buffer.Span, batch.Sync);
            }

            if (batch.Sync)
            {
                var took = Stopwatch.GetTimestamp() - started;
                _syncTicks = _syncTicks == 0 ? took : ((_syncTicks * 7) + took) / 8;
            }
        }
        catch (Exception ex)
        {
            Latch(ex, batch.Group);
            return false;
        }

        if (batch.Sync || _mode == DurabilityMode.None)
        {
            lock (_swapGate)
            {
                _durableLength = _fileLength;
            }

            Volatile.Write(ref _lastDurableSeq, batch.LastSeq);
            batch.Group?.Complete();
        }

        if (_observers.Length > 0 && batch.Buffer.Length > 0)
        {
            if (batch.Sync || _mode == DurabilityMode.None)
            {
                if (_unpublished.Length > 0)
                {
                    PublishToObservers(_unpublished.Span);
                    _unpublished.Clear();
                }

                PublishToObservers(batch.Buffer.Span);
            }
            else
            {
                // Written but not yet synced (Batched): observers see it after the next sync.
                batch.Buffer.Span.CopyTo(_unpublished.GetSpan(batch.Buffer.Length));
                _unpublished.Advance(batch.Buffer.Length);
            }
        }
        else if (_unpublished.Length > 0 && batch.Sync)
        {
            PublishToObservers(_unpublished.Span);
            _unpublished.Clear();
        }

        batch.Buffer.Clear();
        lock (_gate)
        {
            _spare = batch.Buffer;
            _writing = false;
            if (batch.Sync && batch.Records > 0)
            {
                _contended = batch.Records > 1;
                _lastGroupRecords = _mode == DurabilityMode.Always ? batch.Records : 0;
            }

            if (_writerWaiting && (_active.Length > 0 || _group is not null || _disposing || _flushRequested || _tick))
            {
                // Hand what accumulated during this sync to the writer thread (an inline leader returns now).
                Monitor.PulseAll(_gate);
            }
        }

        return true;
    }

    private bool HasWork()
    {
        if (_failure is not null)
        {
            return true;
        }

        if (_writing)
        {
            return false;
        }

        if (_active.Length > 0 && (_mode == DurabilityMode.Always || _active.Length >= WriteThreshold || _tick || _flushRequested || _disposing))
        {
            return true;
        }

        if (_group is not null || _flushRequested || _disposing)
        {
            return true;
        }

        return _tick && _mode == DurabilityMode.Batched && Volatile.Read(ref _lastDurableSeq) < _lastAssignedSeq;
    }

    private bool IsDrained()
    {
        lock (_gate)
        {
            return _active.Length == 0 && _group is null;
        }
    }

    private void WriteWithRetry(ReadOnlySpan<byte> data, bool sync)
    {
        var attempts = _options.RetryAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1 && _syncedLength < _fileLength)
                {
                    RewriteUnsynced();
                }

                if (data.Length > 0)
                {
                    _file.Write(data, _fileLength);
                }

                if (sync)
                {
                    _file.Sync();
                }

                _fileLength += data.Length;
                if (sync)
                {
                    _syncedLength = _fileLength;
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt >= attempts)
                {
                    throw new StateLogFailedException(_path, attempt, ex);
                }

                var delay = RetryDelay(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay);
                _logger.LogWarning(ex, "Writing the WAL {Path} failed (attempt {Attempt} of {Attempts}); retrying in {Delay}.", _path, attempt, attempts, delay);
                if (delay > TimeSpan.Zero)
                {
                    Task.Delay(delay, _time).GetAwaiter().GetResult();
                }
            }
        }
    }

    /// <summary>
    /// After a failed sync the kernel may have dropped the dirty pages of earlier unsynced writes; write them again
    /// from the file's current content so the next sync covers them.
    /// </summary>
    private void RewriteUnsynced()
    {
        var length = (int)(_fileLength - _syncedLength);
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = _file.Read(buffer.AsSpan(read), _syncedLength + read);
            if (n <= 0)
            {
                throw new IOException($"Could not re-read {length} unsynced bytes of the WAL at offset {_syncedLength}.");
            }

            read += n;
        }

        _file.Write(buffer, _syncedLength);
    }

    /// <summary>The delay before retry <paramref name="attempt"/> + 1: base × 2^(attempt − 1), capped.</summary>
    internal static TimeSpan RetryDelay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private void Latch(Exception ex, CommitGroup? group)
    {
        var failure = ex as StateLogFailedException ?? new StateLogFailedException(_path, _options.RetryAttempts, ex);
        _logger.LogCritical(failure, "The WAL {Path} is latched failed; no further records are accepted.", _path);
        CommitGroup? pending;
        lock (_gate)
        {
            Volatile.Write(ref _failure, failure);
            pending = _group;
            _group = null;
            Monitor.PulseAll(_gate);
        }

        group?.Fail(failure);
        pending?.Fail(failure);
    }

    private void PublishToObservers(ReadOnlySpan<byte> batch)
    {
        while (batch.Length > 0)
        {
            var newline = batch.IndexOf((byte)'\n');
            var line = batch[..newline];
            _observerQueue.Writer.TryWrite(WalLine.Parse(line));
            batch = batch[(newline + 1)..];
        }
    }

    private async Task PumpObserversAsync()
    {
        await foreach (var record in _observerQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var observer in Volatile.Read(ref _observers))
            {
                try
                {
                    observer(record);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A WAL observer failed on record {Seq} ({Kind}); the other observers still run.", record.Seq, record.Kind);
                }
            }
        }
    }

    private void Unsubscribe(Action<WalRecord> observer)
    {
        lock (_gate)
        {
            _observers = Array.FindAll(_observers, o => o != observer);
        }
    }

    private WalRecoveryReport Recover()
    {
        if (!File.Exists(_path))
        {
            return new WalRecoveryReport(0, 0, null, 0, null, []);
        }

        var bytes = File.ReadAllBytes(_path);
        var scan = WalScanner.Scan(bytes);
        var interior = scan.InteriorProblems.FirstOrDefault();
        if (interior is not null)
        {
            throw new StateLogCorruptException(_path, interior.Offset, interior.Description);
        }

        if (!scan.HasBadTail)
        {
            return new WalRecoveryReport(scan.ValidRecords, scan.LastSeq, null, 0, null, []);
        }

        var tail = bytes.AsSpan((int)scan.ValidEnd);
        string aside;
        try
        {
            aside = AtomicFile.WriteAside(_path, "torn", tail, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"The WAL {_path} ends in a torn or corrupt tail of {tail.Length} bytes at offset {scan.ValidEnd}, which is kept in a file beside the log before it is cut, and that copy could not be written ({ex.Message.TrimEnd('.')}). Free space on the disk (or fix the directory's permissions) and open the log again; nothing was removed.",
                ex);
        }

        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0))
        {
            stream.SetLength(scan.ValidEnd);
            stream.Flush(flushToDisk: true);
        }

        _logger.LogWarning(
            "Recovered the WAL {Path}: cut a torn or corrupt tail of {Bytes} bytes at offset {Offset} (kept in {Aside}); {Records} valid records remain, next seq {Next}.",
            _path, tail.Length, scan.ValidEnd, aside, scan.ValidRecords, scan.LastSeq + 1);
        return new WalRecoveryReport(scan.ValidRecords, scan.LastSeq, scan.ValidEnd, tail.Length, aside, scan.Problems);
    }

    private WalTruncationResult Truncate(long floor, IReadOnlyCollection<string>? alwaysKeepKinds)
    {
        lock (_ioLock)
        {
            var length = (int)_fileLength;
            var bytes = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = _file.Read(bytes.AsSpan(read), read);
                if (n <= 0)
                {
                    break;
                }

                read += n;
            }

            var scanForMax = WalScanner.Scan(bytes.AsSpan(0, read));
            if (scanForMax.ValidRecords == 0 || (floor <= 1 && (alwaysKeepKinds is null || alwaysKeepKinds.Count == 0)))
            {
                return new WalTruncationResult(0, scanForMax.ValidRecords, scanForMax.FirstSeq, scanForMax.LastSeq);
            }

            var effectiveFloor = Math.Min(floor, scanForMax.LastSeq);
            var kept = new WalBuffer(Math.Max(read, 256));
            int keptCount = 0, dropped = 0;
            long minKept = 0;
            WalScanner.Scan(bytes.AsSpan(0, read), (long _, ReadOnlySpan<byte> line, long seq) =>
            {
                if (seq >= effectiveFloor || (alwaysKeepKinds is not null && alwaysKeepKinds.Contains(WalLine.ReadKind(line))))
                {
                    line.CopyTo(kept.GetSpan(line.Length + 1));
                    kept.Advance(line.Length);
                    kept.GetSpan(1)[0] = (byte)'\n';
                    kept.Advance(1);
                    keptCount++;
                    if (minKept == 0)
                    {
                        minKept = seq;
                    }
                }
                else
                {
                    dropped++;
                }
            });

            lock (_swapGate)
            {
                _file.Dispose();
                try
                {
                    AtomicFile.Replace(_path, kept.Span);
                }
                finally
                {
                    _file = _fileFactory(_path);
                }

                _fileLength = _file.Length;
                _syncedLength = _fileLength;
                _durableLength = _fileLength;
            }

            _logger.LogInformation("Truncated the WAL {Path} below seq {Floor}: dropped {Dropped}, kept {Kept}.", _path, effectiveFloor, dropped, keptCount);
            return new WalTruncationResult(dropped, keptCount, minKept, scanForMax.LastSeq);
        }
    }

    private readonly record struct Batch(WalBuffer Buffer, long Records, long LastSeq, CommitGroup? Group, bool Sync, bool ExitAfter);

    private sealed class Subscription(FileStateLog log, Action<WalRecord> observer) : IDisposable
    {
        public void Dispose() => log.Unsubscribe(observer);
    }
}
