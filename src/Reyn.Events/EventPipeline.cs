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
public sealed class EventPipeline : IAsyncDisposable
{
    private readonly EventSanitizer _sanitizer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IEventSink[] _sinks = [];
    private long _sinkFailures;
    private long _unknownTypes;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="sanitizer">Applied to every payload before any sink or subscriber sees it.</param>
    /// <param name="timeProvider">The clock for event timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where drops and failures are reported.</param>
    public EventPipeline(EventSanitizer? sanitizer = null, TimeProvider? timeProvider = null, ILogger<EventPipeline>? logger = null)
    {
        _sanitizer = sanitizer ?? new EventSanitizer(new SanitizerOptions());
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The sinks and subscribers, in registration order.</summary>
    public IReadOnlyList<IEventSink> Sinks => Volatile.Read(ref _sinks);

    /// <summary>Times a sink's <see cref="IEventSink.Write"/> threw (a contract breach; the event still reached the others).</summary>
    public long SinkFailureCount => Interlocked.Read(ref _sinkFailures);

    /// <summary>Events emitted with a type outside <see cref="EventCatalog"/> (still delivered; a test-time gate fails on them).</summary>
    public long UnknownTypeCount => Interlocked.Read(ref _unknownTypes);

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
                    _logger.LogWarning(ex, "Flushing event sink {Sink} failed", sink.GetType().Name);
                }
            }
        }
    }

    internal ReynEvent Publish(string type, EventData data)
    {
        if (!EventCatalog.Contains(type))
        {
            Interlocked.Increment(ref _unknownTypes);
            _logger.LogWarning("Event type '{Type}' is not in the event catalog; add it to EventCatalog", type);
        }

        _sanitizer.Sanitize(data);
        var evt = new ReynEvent(type, _timeProvider.GetLocalNow(), data);
        foreach (var sink in Volatile.Read(ref _sinks))
        {
            try
            {
                sink.Write(evt);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _sinkFailures);
                _logger.LogWarning(ex, "Event sink {Sink} threw for {Type}; the event was dropped for that sink", sink.GetType().Name, type);
            }
        }

        return evt;
    }

    /// <summary>Flushes and disposes the sinks and subscribers that are disposable.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
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
                _logger.LogWarning(ex, "Disposing event sink {Sink} failed", sink.GetType().Name);
            }
        }
    }
}
