using System.Collections.Concurrent;

namespace Reyn.Events.Tests.Support;

/// <summary>A sink that keeps every event it receives (thread-safe).</summary>
public sealed class CollectingSink : IEventSink
{
    private readonly ConcurrentQueue<ReynEvent> _events = new();

    public IReadOnlyList<ReynEvent> Events => [.. _events];

    public void Write(ReynEvent evt) => _events.Enqueue(evt);
}
