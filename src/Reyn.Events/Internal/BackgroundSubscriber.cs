using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Reyn.Events.Internal;

/// <summary>Runs one subscriber on its own bounded queue so that it can neither block nor break the emitter.</summary>
internal sealed class BackgroundSubscriber : IFlushableEventSink, IEventSinkDiagnostics, IAsyncDisposable
{
    private readonly Action<ReynEvent> _handler;
    private readonly string _name;
    private readonly EventPipeline _owner;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue;
    private readonly Task _worker;
    private long _dropped;
    private string? _lastError;

    public BackgroundSubscriber(Action<ReynEvent> handler, int capacity, string name, EventPipeline owner, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _handler = handler;
        _name = name;
        _owner = owner;
        _logger = logger;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _worker = Task.Run(RunAsync);
    }

    public string Name => _name;

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public string? LastError => Volatile.Read(ref _lastError);

    public void Write(ReynEvent evt)
    {
        if (!_queue.Writer.TryWrite(evt))
        {
            Drop($"subscriber '{_name}' queue is full");
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(marker))
        {
            return new ValueTask(marker.Task.WaitAsync(cancellationToken));
        }

        return new ValueTask(WriteMarkerAsync(marker, cancellationToken));
    }

    /// <summary>Stops accepting events and waits (at most <see cref="DrainTimeout"/>) for the queue to drain.</summary>
    public async ValueTask DisposeAsync()
    {
        _owner.RemoveSink(this);
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        try
        {
            await _worker.WaitAsync(DrainTimeout, _owner.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Subscriber '{Name}' did not drain within {Timeout}; its remaining events are abandoned", _name, DrainTimeout);
        }
    }

    public static TimeSpan DrainTimeout { get; } = TimeSpan.FromSeconds(5);

    private async Task WriteMarkerAsync(TaskCompletionSource marker, CancellationToken cancellationToken)
    {
        try
        {
            // The queue is full: wait for room (a flush is an explicit wait point, unlike Write).
            await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item is TaskCompletionSource marker)
            {
                marker.TrySetResult();
                continue;
            }

            try
            {
                _handler((ReynEvent)item);
            }
            catch (Exception ex)
            {
                Drop($"subscriber '{_name}' threw {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private void Drop(string reason)
    {
        var count = Interlocked.Increment(ref _dropped);
        Volatile.Write(ref _lastError, reason);
        if ((count & (count - 1)) == 0)
        {
            // Log on 1, 2, 4, 8... drops so a flood stays visible without flooding the log.
            _logger.LogWarning("Event dropped: {Reason} ({Count} dropped so far)", reason, count);
        }
    }
}
