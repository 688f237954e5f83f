namespace Reyn.Events;

/// <summary>A sink or subscriber that reports what it could not deliver.</summary>
public interface IEventSinkDiagnostics
{
    /// <summary>Events accepted but never persisted or delivered (queue full, I/O failure, a throwing handler).</summary>
    long DroppedCount { get; }

    /// <summary>The reason for the most recent drop, or <see langword="null"/> if nothing was dropped.</summary>
    string? LastError { get; }
}
