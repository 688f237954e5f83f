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

    public IReadOnlyList<ReynEvent> OfType(string type) => [.. _events.Where(e => e.Type == type)];

    public IReadOnlyList<string> Types(string? runId = null) =>
        [.. _events.Where(e => runId is null || e.RunId == runId).Select(e => e.Type)];
}
