using Reyn.Events;

namespace Reyn.Scheduling.Tests.Support;

/// <summary>Collects events inline and lets a test await a condition on them (no sleeps).</summary>
internal sealed class RecordingSink : IEventSink
{
    private readonly Lock _gate = new();
    private readonly List<ReynEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<ReynEvent>, bool> Condition, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<ReynEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<ReynEvent> OfType(string type) => Events.Where(e => e.Type == type).ToList();

    public void Write(ReynEvent evt)
    {
        lock (_gate)
        {
            _events.Add(evt);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_events))
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> events of <paramref name="type"/> were written.</summary>
    public Task WaitForAsync(string type, int count = 1)
    {
        bool Condition(IReadOnlyList<ReynEvent> events) => events.Count(e => e.Type == type) >= count;
        lock (_gate)
        {
            if (Condition(_events))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Condition, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
