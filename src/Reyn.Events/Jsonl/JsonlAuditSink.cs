using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events.Internal;
using Reyn.Events.Serialization;

namespace Reyn.Events.Jsonl;

/// <summary>
/// The P6 audit log: appends each event as one JSON line to <c>&lt;events&gt;/&lt;yyyy-MM&gt;/&lt;run_id&gt;.jsonl</c>
/// (one file per run) or, for events outside a run, <c>&lt;events&gt;/&lt;yyyy-MM&gt;/&lt;session_id or host&gt;.jsonl</c>
/// (one file per chat session, rotated by size, age and date: the new file gets a <c>_yyyyMMddTHHmmss</c> suffix, the
/// old one is never renamed).
/// </summary>
/// <remarks>
/// <see cref="Write"/> only enqueues (it never blocks and never throws); one background writer batches events into
/// one write per file. When events trickle in, the writer collects them for up to 2 ms (any flush cuts that short), so
/// emitters rarely wake it; files lag the emitters by at most that much plus one write. A full queue, an unwritable directory or a full disk drops events: they are counted
/// (<see cref="DroppedCount"/>, <see cref="LastError"/>) and logged, and the host keeps running. A deleted events
/// directory is recreated on the next write. Files of finished runs (<c>run_skill_completed</c>,
/// <c>workflow_finished</c>) are closed, and at most <see cref="JsonlAuditSinkOptions.MaxOpenFiles"/> stay open.
/// <see cref="FlushAsync"/> and disposal write everything accepted so far and fsync it.
/// </remarks>
public sealed class JsonlAuditSink : IFlushableEventSink, IEventSinkDiagnostics, IAsyncDisposable, IDisposable
{
    private const int CoalesceBelow = 64;
    private static readonly TimeSpan CoalesceFor = TimeSpan.FromMilliseconds(2);
    // Cuts the writer's collection wait short: a flush, dispose, or a batch's worth of events queued. Not disposed: it
    // never creates a wait handle, and a late FlushAsync may still release it.
    private readonly SemaphoreSlim _stopCollecting = new(0);
    private readonly JsonlAuditSinkOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue;
    private readonly Task _worker;
    private readonly Dictionary<string, JsonlFile> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonlFile> _sessions = new(StringComparer.Ordinal);
    private readonly List<JsonlFile> _touched = [];
    private readonly JsonBufferWriter _json;
    private string? _lastRunId;
    private JsonlFile? _lastRun;
    private long _pending;
    private long _dropped;
    private long _written;
    private long _failures;
    private long _useClock;
    private int _openFiles;
    private int _disposed;
    private string? _lastError;
    private string? _lastWrittenFile;

    /// <summary>Creates the sink and starts its background writer.</summary>
    /// <param name="eventsDirectory">The <c>events</c> directory (normally <c>&lt;root&gt;/events</c>); created on the first write.</param>
    /// <param name="options">Queue, batch, rotation and open-file limits; defaults when null.</param>
    /// <param name="logger">Where drops are reported.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names each one).</exception>
    public JsonlAuditSink(string eventsDirectory, JsonlAuditSinkOptions? options = null, ILogger<JsonlAuditSink>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventsDirectory);
        _options = options ?? new JsonlAuditSinkOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        EventsDirectory = Path.GetFullPath(eventsDirectory);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _json = new JsonBufferWriter(EventJsonWriter.WriterOptions);
        _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>The full path of the events directory.</summary>
    public string EventsDirectory { get; }

    /// <summary>The options in force.</summary>
    public JsonlAuditSinkOptions Options => _options;

    /// <inheritdoc />
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Events written to disk so far.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Files currently held open by the writer.</summary>
    public int OpenFileCount => Volatile.Read(ref _openFiles);

    /// <summary>The file the most recent batch went to, or <see langword="null"/> before the first write.</summary>
    public string? LastWrittenFile => Volatile.Read(ref _lastWrittenFile);

    /// <summary>Queues <paramref name="evt"/> for the background writer; never blocks, never throws.</summary>
    public void Write(ReynEvent evt)
    {
        if (evt is null)
        {
            return;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            Drop(1, "the JSONL audit sink is disposed");
            return;
        }

        var pending = Interlocked.Increment(ref _pending);
        if (pending > _options.QueueCapacity)
        {
            Interlocked.Decrement(ref _pending);
            Drop(1, $"the JSONL audit queue is full ({_options.QueueCapacity} events); the disk is slower than the event rate");
            return;
        }

        if (pending == CoalesceBelow)
        {
            StopCollecting(); // a burst: a writer collecting a trickle would only let the queue grow
        }

        if (!_queue.Writer.TryWrite(evt))
        {
            Interlocked.Decrement(ref _pending);
            Drop(1, "the JSONL audit sink is disposed");
        }
    }

    /// <summary>Completes when every event written before the call is on disk (fsynced) or counted as dropped.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(marker))
        {
            return ValueTask.CompletedTask;
        }

        StopCollecting();
        return new ValueTask(marker.Task.WaitAsync(cancellationToken));
    }

    private void StopCollecting()
    {
        if (_stopCollecting.CurrentCount == 0)
        {
            _stopCollecting.Release();
        }
    }

    /// <summary>Stops accepting events, writes and fsyncs everything queued, and closes every file. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _worker.ConfigureAwait(false);
            return;
        }

        _queue.Writer.TryComplete();
        _stopCollecting.Release();
        await _worker.ConfigureAwait(false);
        _json.Dispose();
    }

    /// <summary>Synchronous form of <see cref="DisposeAsync"/> (for containers disposed with <c>Dispose</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Interlocked.Read(ref _pending) < CoalesceBelow)
            {
                // Woken by a trickle: collect for a moment (cut short by a flush or a burst) so that the events of the next
                // milliseconds land in one write call, and emitters meanwhile enqueue without waking this writer, instead
                // of one thread wake-up and one syscall per event. Nothing is durable before a flush anyway.
                await _stopCollecting.WaitAsync(CoalesceFor).ConfigureAwait(false);
            }

            try
            {
                WriteBatch(reader);
            }
            catch (Exception ex)
            {
                // Never let the writer die: a dead writer would silently fill the queue.
                Drop(0, $"the JSONL writer failed: {ex.GetType().Name}: {ex.Message}", ex);
            }
        }

        SyncAll();
        CloseAll();
    }

    private void WriteBatch(ChannelReader<object> reader)
    {
        var taken = 0;
        try
        {
            while (taken < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource marker)
                {
                    CommitTouched();
                    SyncAll();
                    marker.TrySetResult();
                    continue;
                }

                taken++;
                Append((ReynEvent)item);
            }
        }
        finally
        {
            // Once per batch rather than per event: the emitters increment this counter, so touching it per event
            // from this thread too kept its cache line bouncing between the two cores.
            Interlocked.Add(ref _pending, -taken);
        }

        CommitTouched();
    }

    private void Append(ReynEvent evt)
    {
        JsonlFile file;
        try
        {
            file = Resolve(evt);
        }
        catch (Exception ex)
        {
            Drop(1, $"event {evt.Type} could not be serialized: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        // Serialize straight into the file's pending batch; a failure half-way cuts the partial line back out.
        var mark = file.Pending.WrittenCount;
        try
        {
            EventJsonWriter.WriteLine(_json, file.Pending, evt);
        }
        catch (Exception ex)
        {
            file.Pending.Truncate(mark);
            Drop(1, $"event {evt.Type} could not be serialized: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        file.PendingEvents++;
        file.LastUsed = ++_useClock;
        if (file.IsRun && evt.Type is EventTypes.RunSkillCompleted or EventTypes.WorkflowFinished)
        {
            file.CloseAfterCommit = true;
        }

        if (!file.Touched)
        {
            file.Touched = true;
            _touched.Add(file);
        }
    }

    private JsonlFile Resolve(ReynEvent evt)
    {
        var runId = evt.RunId;
        if (!string.IsNullOrEmpty(runId))
        {
            // Consecutive events of one run carry the same run id instance (stamped by its EventLog): skip the lookup.
            if (ReferenceEquals(runId, _lastRunId))
            {
                return _lastRun!;
            }

            if (!_runs.TryGetValue(runId, out var run))
            {
                run = new JsonlFile(runId, isRun: true, JsonlPaths.RunFile(EventsDirectory, runId, evt.Timestamp), evt.Timestamp);
                _runs.Add(runId, run);
            }

            (_lastRunId, _lastRun) = (runId, run);
            return run;
        }

        var session = evt.SessionId;
        var stem = string.IsNullOrEmpty(session) ? _options.HostSessionName : JsonlPaths.SafeFileStem(session);
        if (!_sessions.TryGetValue(stem, out var file))
        {
            file = new JsonlFile(stem, isRun: false, string.Empty, evt.Timestamp);
            PlaceSessionFile(file, evt.Timestamp);
            _sessions.Add(stem, file);
        }
        else if (ShouldRotate(file, evt.Timestamp))
        {
            Commit(file);
            CloseFile(file);
            file.Path = NewRotatedPath(file.Key, evt.Timestamp);
            file.Length = 0;
            file.OpenedAt = evt.Timestamp;
        }

        return file;
    }

    private void ForgetRun(string runId)
    {
        _runs.Remove(runId);
        (_lastRunId, _lastRun) = (null, null);
    }

    private bool ShouldRotate(JsonlFile file, DateTimeOffset timestamp) =>
        (_options.SessionFileMaxBytes > 0 && file.Length + file.Pending.WrittenCount >= _options.SessionFileMaxBytes)
        || (_options.SessionFileMaxAge > TimeSpan.Zero && timestamp - file.OpenedAt >= _options.SessionFileMaxAge)
        || (_options.RotateSessionFilesDaily && timestamp.Date != file.OpenedAt.Date);

    /// <summary>Picks the newest existing file of the session in this month (to append to) unless it is due for rotation.</summary>
    private void PlaceSessionFile(JsonlFile file, DateTimeOffset timestamp)
    {
        var directory = Path.Combine(EventsDirectory, timestamp.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var basePath = Path.Combine(directory, file.Key + ".jsonl");
        var current = basePath;
        try
        {
            if (Directory.Exists(directory))
            {
                foreach (var candidate in Directory.EnumerateFiles(directory, file.Key + "_*.jsonl"))
                {
                    if (IsRotatedName(file.Key, Path.GetFileName(candidate)) && string.CompareOrdinal(candidate, current) > 0)
                    {
                        current = candidate;
                    }
                }
            }

            var info = new FileInfo(current);
            if (info.Exists)
            {
                file.Path = current;
                file.Length = info.Length;
                file.OpenedAt = timestamp;
                var writtenOn = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero).ToOffset(timestamp.Offset);
                if (ShouldRotate(file, timestamp) || (_options.RotateSessionFilesDaily && writtenOn.Date != timestamp.Date))
                {
                    file.Path = NewRotatedPath(file.Key, timestamp);
                    file.Length = 0;
                }

                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Fall through to the base name; the write reports the problem.
        }

        file.Path = basePath;
        file.Length = 0;
        file.OpenedAt = timestamp;
    }

    private static bool IsRotatedName(string stem, string fileName)
    {
        // <stem>_yyyyMMddTHHmmss[_n].jsonl
        var rest = fileName.AsSpan(stem.Length + 1);
        if (!rest.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[..^6];
        if (rest.Length < 15 || rest[8] != 'T' || !IsDigits(rest[..8]) || !IsDigits(rest[9..15]))
        {
            return false;
        }

        rest = rest[15..];
        return rest.IsEmpty || (rest[0] == '_' && rest.Length > 1 && IsDigits(rest[1..]));
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    private string NewRotatedPath(string stem, DateTimeOffset timestamp)
    {
        var directory = Path.Combine(EventsDirectory, timestamp.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var basePath = Path.Combine(directory, stem + ".jsonl");
        if (!File.Exists(basePath))
        {
            return basePath;
        }

        var name = stem + "_" + timestamp.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(directory, name + ".jsonl");
        for (var n = 1; File.Exists(path) && n < 10_000; n++)
        {
            path = Path.Combine(directory, name + "_" + n.ToString(CultureInfo.InvariantCulture) + ".jsonl");
        }

        return path;
    }

    private void CommitTouched()
    {
        foreach (var file in _touched)
        {
            file.Touched = false;
            Commit(file);
            if (file.CloseAfterCommit)
            {
                file.CloseAfterCommit = false;
                CloseFile(file);
                if (file.Pending.WrittenCount == 0)
                {
                    ForgetRun(file.Key);
                }
            }
        }

        _touched.Clear();
        if (_runs.Count + _sessions.Count > 4 * _options.MaxOpenFiles)
        {
            ForgetIdleFiles();
        }
    }

    private void Commit(JsonlFile file)
    {
        if (file.PendingEvents == 0)
        {
            return;
        }

        var count = file.PendingEvents;
        try
        {
            var stream = EnsureOpen(file);
            stream.Write(file.Pending.WrittenSpan);
            file.Length += file.Pending.WrittenCount;
            Interlocked.Add(ref _written, count);
            Volatile.Write(ref _lastWrittenFile, file.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Drop(count, $"writing {file.Path} failed: {ex.GetType().Name}: {ex.Message}", ex);
            CloseFile(file);
        }
        finally
        {
            file.Pending.Clear();
            file.PendingEvents = 0;
        }
    }

    private FileStream EnsureOpen(JsonlFile file)
    {
        if (file.Stream is { } open)
        {
            if (File.Exists(file.Path))
            {
                return open;
            }

            // The file (or the whole events directory) was deleted under us: start a fresh one.
            _logger.LogWarning("Audit file {Path} disappeared; recreating it", file.Path);
            CloseFile(file);
            file.Length = 0;
        }

        if (_openFiles >= _options.MaxOpenFiles)
        {
            CloseLeastRecentlyUsed(file);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
        var stream = new FileStream(file.Path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        file.Stream = stream;
        file.Length = stream.Length;
        Volatile.Write(ref _openFiles, _openFiles + 1);
        return stream;
    }

    private void CloseLeastRecentlyUsed(JsonlFile except)
    {
        JsonlFile? victim = null;
        foreach (var file in _runs.Values)
        {
            if (file.Stream is not null && file != except && (victim is null || file.LastUsed < victim.LastUsed))
            {
                victim = file;
            }
        }

        foreach (var file in _sessions.Values)
        {
            if (file.Stream is not null && file != except && (victim is null || file.LastUsed < victim.LastUsed))
            {
                victim = file;
            }
        }

        if (victim is not null)
        {
            CloseFile(victim);
        }
    }

    private void ForgetIdleFiles()
    {
        foreach (var (key, file) in _runs.ToArray())
        {
            if (file.Stream is null && file.PendingEvents == 0)
            {
                ForgetRun(key);
            }
        }
    }

    private void CloseFile(JsonlFile file)
    {
        if (file.Stream is not { } stream)
        {
            return;
        }

        file.Stream = null;
        Volatile.Write(ref _openFiles, _openFiles - 1);
        try
        {
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Syncing audit file {Path} failed", file.Path);
        }
        finally
        {
            try
            {
                stream.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }

    private void SyncAll()
    {
        foreach (var file in _runs.Values)
        {
            Sync(file);
        }

        foreach (var file in _sessions.Values)
        {
            Sync(file);
        }
    }

    private void Sync(JsonlFile file)
    {
        try
        {
            file.Stream?.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Drop(0, $"syncing {file.Path} failed: {ex.Message}", ex);
            CloseFile(file);
        }
    }

    private void CloseAll()
    {
        foreach (var file in _runs.Values)
        {
            CloseFile(file);
        }

        foreach (var file in _sessions.Values)
        {
            CloseFile(file);
        }
    }

    private void Drop(long count, string reason, Exception? exception = null)
    {
        Interlocked.Add(ref _dropped, count);
        Volatile.Write(ref _lastError, reason);
        var failures = Interlocked.Increment(ref _failures);
        if ((failures & (failures - 1)) == 0)
        {
            // Log on the 1st, 2nd, 4th, 8th... failure so a flood stays visible without flooding the log.
            _logger.LogWarning(exception, "JSONL audit log dropped {Count} event(s): {Reason} ({Total} dropped so far)", count, reason, DroppedCount);
        }
    }
}
