namespace Reyn.Events;

/// <summary>A sink that can be asked to persist everything accepted so far (an explicit flush point).</summary>
public interface IFlushableEventSink : IEventSink
{
    /// <summary>Completes when every event written before the call is persisted (or counted as dropped).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
