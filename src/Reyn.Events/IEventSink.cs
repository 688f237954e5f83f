namespace Reyn.Events;

/// <summary>
/// Receives every event an <see cref="EventLog"/> emits, after stamping and sanitization.
/// </summary>
/// <remarks>
/// Emission is evidence, never control flow: <see cref="Write"/> is called on the emitting thread and must neither
/// throw nor block on I/O. Buffer the event and persist it in the background; count what you drop
/// (<see cref="IEventSinkDiagnostics"/>). Optional capabilities are separate interfaces:
/// <see cref="IFlushableEventSink"/> and <see cref="IEventSinkDiagnostics"/>.
/// </remarks>
public interface IEventSink
{
    /// <summary>Accepts one event. Must not throw and must not block on I/O.</summary>
    void Write(ReynEvent evt);
}
