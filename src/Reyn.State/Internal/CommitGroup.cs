namespace Reyn.State.Internal;

/// <summary>The appenders that share one sync: completed together when their batch is durable.</summary>
internal sealed class CommitGroup
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Complete() => _done.TrySetResult();

    public void Fail(Exception exception) => _done.TrySetException(exception);

    public ValueTask<long> WaitAsync(long seq, CancellationToken cancellationToken)
    {
        var task = _done.Task;
        if (task.IsCompletedSuccessfully)
        {
            return new ValueTask<long>(seq);
        }

        return Await(task, seq, cancellationToken);
    }

    private static async ValueTask<long> Await(Task task, long seq, CancellationToken cancellationToken)
    {
        // Cancelling stops the wait only: the record is already queued and may still become durable.
        await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return seq;
    }
}
