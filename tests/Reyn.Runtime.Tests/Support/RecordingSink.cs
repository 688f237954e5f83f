using System.Collections.Concurrent;
using Reyn.Events;

namespace Reyn.Runtime.Tests.Support;

/// <summary>Collects every event the pipeline delivers, in order.</summary>
public sealed class RecordingSink : IEventSink
{
    private readonly ConcurrentQueue<ReynEvent> _events = new();

    public IReadOnlyList<ReynEvent> Events => [.. _events];

    /// <summary>Raised after each event is recorded (lets tests await an event instead of sleeping).</summary>
    public event Action<ReynEvent>? Written;

    public void Write(ReynEvent evt)
    {
        _events.Enqueue(evt);
        Written?.Invoke(evt);
    }

    /// <summary>Completes with the first event of <paramref name="type"/> (already recorded or still to come) that matches.</summary>
    public Task<ReynEvent> WaitForAsync(string type, Func<ReynEvent, bool>? match = null)
    {
        var found = new TaskCompletionSource<ReynEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(ReynEvent evt)
        {
            if (evt.Type == type && (match is null || match(evt)))
            {
                found.TrySetResult(evt);
            }
        }

        Written += Check; // subscribe first, then look at what is already there: nothing falls in between
        foreach (var evt in _events)
        {
            Check(evt);
        }

        _ = found.Task.ContinueWith(_ => Written -= Check, TaskScheduler.Default);
        return found.Task;
    }

    public IReadOnlyList<ReynEvent> OfType(string type) => [.. _events.Where(e => e.Type == type)];

    public IReadOnlyList<string> Types(string? runId = null) =>
        [.. _events.Where(e => runId is null || e.RunId == runId).Select(e => e.Type)];
}
