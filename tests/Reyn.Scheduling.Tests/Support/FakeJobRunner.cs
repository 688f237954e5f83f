using System.Collections.Concurrent;

namespace Reyn.Scheduling.Tests.Support;

/// <summary>An <see cref="IJobRunner"/> that records each job it is given and can block or throw on demand.</summary>
internal sealed class FakeJobRunner : IJobRunner
{
    private readonly ConcurrentQueue<CronJob> _calls = new();
    private TaskCompletionSource? _gate;
    private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<CronJob> Calls => [.. _calls];

    /// <summary>When set, every run throws it.</summary>
    public Exception? Throw { get; set; }

    /// <summary>Completes when a run has started.</summary>
    public Task FirstStarted => _firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Makes runs wait until <see cref="Release"/>.</summary>
    public void Block() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public async ValueTask RunAsync(CronJob job, CancellationToken cancellationToken)
    {
        _calls.Enqueue(job);
        _firstStarted.TrySetResult();
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Throw is { } exception)
        {
            throw exception;
        }
    }
}
