using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events.Internal;
using Reyn.Events.Sanitization;

namespace Reyn.Events;

/// <summary>
/// The shared fan-out behind every <see cref="EventLog"/>: timestamps and sanitizes each event once, then hands it to
/// the sinks (inline, which buffer themselves) and the subscribers (each on its own background queue), in
/// registration order. A sink or subscriber that throws or stalls never affects the emitter or the others.
/// </summary>
public sealed class EventPipeline : IAsyncDisposable, IDisposable
{
    private readonly EventSanitizer _sanitizer;
    private readonly TimeProvider _timeProvider;
    private readonly Internal.SystemLocalClock? _systemClock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Internal.StringReferenceCache _knownTypes = new();
    private IEventSink[] _sinks = [];
    private long _sinkFailures;
    private long _unknownTypes;
    private long _truncated;
    private long _sanitizerFailures;
    private string? _lastTruncation;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="sanitizer">Applied to every payload before any sink or subscriber sees it.</param>
    /// <param name="timeProvider">The clock for event timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where drops and failures are reported.</param>
    public EventPipeline(EventSanitizer? sanitizer = null, TimeProvider? timeProvider = null, ILogger<EventPipeline>? logger = null)
    {
        _sanitizer = sanitizer ?? new EventSanitizer(new SanitizerOptions());
        _timeProvider = timeProvider ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_timeProvider, TimeProvider.System) ? new Internal.SystemLocalClock() : null;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The clock of event timestamps.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>The sinks and subscribers, in registration order.</summary>
    public IReadOnlyList<IEventSink> Sinks => Volatile.Read(ref _sinks);

    /// <summary>Times a sink's <see cref="IEventSink.Write"/> threw (a contract breach; the event still reached the others).</summary>
    public long SinkFailureCount => Interlocked.Read(ref _sinkFailures);

    /// <summary>Events emitted with a type outside <see cref="EventCatalog"/> (still delivered; a test-time gate fails on them).</summary>
    public long UnknownTypeCount => Interlocked.Read(ref _unknownTypes);

    /// <summary>Events whose payload the sanitizer cut (a long string, the payload size, a cycle or deep nesting).</summary>
    public long TruncatedCount => Interlocked.Read(ref _truncated);

    /// <summary>What the most recent truncation cut, or <see langword="null"/>.</summary>
    public string? LastTruncation => Volatile.Read(ref _lastTruncation);

    /// <summary>Times the sanitizer itself failed; the event was still delivered with only its correlation fields.</summary>
    public long SanitizerFailureCount => Interlocked.Read(ref _sanitizerFailures);

    /// <summary>The drop count and last error of every sink and subscriber that reports them, in registration order.</summary>
    public IReadOnlyList<EventSinkStatus> GetSinkStatus()
    {
        var sinks = Sinks;
        var result = new List<EventSinkStatus>(sinks.Count);
        foreach (var sink in sinks)
        {
            if (sink is IEventSinkDiagnostics diagnostics)
            {
                result.Add(new EventSinkStatus(SinkName(sink), diagnostics.DroppedCount, diagnostics.LastError));
            }
        }

        return result;
    }

    /// <summary>Events dropped by all sinks and subscribers that report drops, plus sink failures.</summary>
    public long DroppedCount
    {
        get
        {
            var total = SinkFailureCount;
            foreach (var sink in Sinks)
            {
                if (sink is IEventSinkDiagnostics diagnostics)
                {
                    total += diagnostics.DroppedCount;
                }
            }

            return total;
        }
    }

    /// <summary>Adds a sink. Its <see cref="IEventSink.Write"/> is called on the emitting thread and must not block.</summary>
    public void AddSink(IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (_gate)
        {
            _sinks = [.. _sinks, sink];
        }
    }

    /// <summary>
    /// Adds a subscriber that may be slow or throw: it runs on its own bounded background queue
    /// (<paramref name="capacity"/> events; beyond that events are dropped for it and counted).
    /// </summary>
    /// <returns>A handle; dispose it to unsubscribe after the queue drains.</returns>
    public IAsyncDisposable Subscribe(Action<ReynEvent> subscriber, int capacity = 10_000, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var background = new BackgroundSubscriber(subscriber, capacity, name ?? subscriber.Method.Name, this, _logger);
        AddSink(background);
        return background;
    }

    internal void RemoveSink(IEventSink sink)
    {
        lock (_gate)
        {
            _sinks = Array.FindAll(_sinks, s => !ReferenceEquals(s, sink));
        }
    }

    /// <summary>Flushes every sink that supports it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (var sink in Sinks)
        {
            if (sink is IFlushableEventSink flushable)
            {
                try
                {
                    await flushable.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Flushing event sink {Sink} failed", SinkName(sink));
                }
            }
        }
    }

    internal ReynEvent Publish(string type, EventData data)
    {
        if (!_knownTypes.Contains(type) && !CheckType(type))
        {
            var unknown = Interlocked.Increment(ref _unknownTypes);
            if (IsPowerOfTwo(unknown))
            {
                _logger.LogWarning("Event type '{Type}' is not in the event catalog; add it to EventCatalog ({Count} unknown so far)", type, unknown);
            }
        }

        Sanitize(type, data);
        var evt = new ReynEvent(type, _systemClock?.GetLocalNow() ?? _timeProvider.GetLocalNow(), data);
        foreach (var sink in Volatile.Read(ref _sinks))
        {
            try
            {
                sink.Write(evt);
            }
            catch (Exception ex)
            {
                var failures = Interlocked.Increment(ref _sinkFailures);
                if (IsPowerOfTwo(failures))
                {
                    _logger.LogWarning(ex, "Event sink {Sink} threw for {Type}; the event was dropped for that sink ({Count} sink failures so far)", SinkName(sink), type, failures);
                }
            }
        }

        return evt;
    }

    private bool CheckType(string type)
    {
        if (!EventCatalog.Contains(type))
        {
            return false;
        }

        _knownTypes.Add(type);
        return true;
    }

    private void Sanitize(string type, EventData data)
    {
        try
        {
            var changes = _sanitizer.Sanitize(data);
            const SanitizationChanges cut = SanitizationChanges.StringTruncated | SanitizationChanges.PayloadTruncated | SanitizationChanges.StructureCut;
            if ((changes & cut) != 0)
            {
                var reason = $"{type}: {changes & (cut | SanitizationChanges.InvalidTextReplaced)}";
                Volatile.Write(ref _lastTruncation, reason);
                var count = Interlocked.Increment(ref _truncated);
                if (IsPowerOfTwo(count))
                {
                    _logger.LogWarning("Event payload truncated ({Reason}); {Count} events truncated so far", reason, count);
                }
            }
        }
        catch (Exception ex)
        {
            // A sanitizer bug must neither throw into the caller nor let an unsanitized payload through.
            var count = Interlocked.Increment(ref _sanitizerFailures);
            for (var i = data.Count - 1; i >= 0; i--)
            {
                var key = data.KeyAt(i);
                if (data.ValueAt(i) is not (string or long or int or null) || !IsCorrelationField(key))
                {
                    data.Remove(key);
                }
            }

            data.Set("_sanitizer_error", ex.GetType().Name);
            if (IsPowerOfTwo(count))
            {
                _logger.LogError(ex, "Sanitizing a {Type} event failed; only its correlation fields were kept ({Count} failures so far)", type, count);
            }
        }
    }

    private static bool IsCorrelationField(string key) => key is EventFields.RunId or EventFields.Skill or EventFields.Phase
        or EventFields.Agent or EventFields.SessionId or EventFields.ChainId or EventFields.Emitter or EventFields.AuditSeq;

    private static bool IsPowerOfTwo(long count) => (count & (count - 1)) == 0;

    internal static string SinkName(IEventSink sink) => sink is Internal.BackgroundSubscriber subscriber ? subscriber.Name : sink.GetType().Name;

    /// <summary>Synchronous form of <see cref="DisposeAsync"/> (for containers disposed with <c>Dispose</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Flushes and disposes the sinks and subscribers that are disposable.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(Internal.BackgroundSubscriber.DrainTimeout, _timeProvider))
        {
            try
            {
                await FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("Flushing event sinks at dispose did not finish within {Timeout}", Internal.BackgroundSubscriber.DrainTimeout);
            }
        }

        foreach (var sink in Sinks)
        {
            try
            {
                switch (sink)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Disposing event sink {Sink} failed", SinkName(sink));
            }
        }
    }
}
