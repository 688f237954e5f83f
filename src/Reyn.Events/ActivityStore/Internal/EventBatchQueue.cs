using System.Threading.Channels;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// The bounded queue and single background loop of the activity sinks (SQLite here, PostgreSQL in Reyn.PostgreSql):
/// events are handed to the batch writer up to a batch size at a time, and a flush completes once everything queued
/// before it has been handed over and written.
/// </summary>
internal sealed class EventBatchQueue
{
    private readonly Channel<object> _queue;
    private readonly int _batchSize;
    private readonly Func<List<ReynEvent>, ValueTask> _writeBatch;
    private readonly Task _worker;

    /// <param name="capacity">Events the queue holds before <see cref="TryEnqueue"/> refuses more.</param>
    /// <param name="batchSize">The most events handed to <paramref name="writeBatch"/> at once.</param>
    /// <param name="writeBatch">Writes one batch on the background loop; must not throw (count failures as drops).</param>
    public EventBatchQueue(int capacity, int batchSize, Func<List<ReynEvent>, ValueTask> writeBatch)
    {
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _batchSize = batchSize;
        _writeBatch = writeBatch;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="evt"/>; false when the queue is full or completed.</summary>
    public bool TryEnqueue(ReynEvent evt) => _queue.Writer.TryWrite(evt);

    /// <summary>Completes when every event queued before the call is written (at once when the queue is completed).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Accepts nothing more and completes when everything queued is written.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _worker;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<ReynEvent>(_batchSize);
        var markers = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _batchSize && reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource marker)
                {
                    markers.Add(marker);
                    break;
                }

                batch.Add((ReynEvent)item);
            }

            if (batch.Count > 0)
            {
                await _writeBatch(batch).ConfigureAwait(false);
                batch.Clear();
            }

            foreach (var marker in markers)
            {
                marker.TrySetResult();
            }

            markers.Clear();
        }
    }
}
