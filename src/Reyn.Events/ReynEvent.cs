namespace Reyn.Events;

/// <summary>
/// One event of the audit log: <c>{"type": ..., "timestamp": ..., "data": {...}}</c>, one JSON object per line.
/// </summary>
/// <remarks>
/// Instances are produced by <see cref="EventLog.Emit(string, EventData?)"/> after stamping and sanitization and are
/// shared by every sink and subscriber, which must treat them as read-only.
/// </remarks>
public sealed class ReynEvent
{
    /// <summary>Creates an event. Hosts normally let <see cref="EventLog"/> create events.</summary>
    /// <param name="type">The event type; a member of <see cref="EventCatalog"/>.</param>
    /// <param name="timestamp">When the event happened, with the local UTC offset.</param>
    /// <param name="data">The flat payload.</param>
    public ReynEvent(string type, DateTimeOffset timestamp, EventData data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        Type = type;
        Timestamp = timestamp;
        Data = data;
    }

    /// <summary>The event type, for example <c>phase_started</c>.</summary>
    public string Type { get; }

    /// <summary>When the event happened (ISO-8601 with offset on disk).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The flat payload: <c>run_id</c>, <c>skill</c>, <c>phase</c>, <c>emitter</c>, <c>audit_seq</c> and type-specific fields.</summary>
    public EventData Data { get; }

    /// <summary>The <c>run_id</c> field, or <see langword="null"/> for events outside a run.</summary>
    public string? RunId => Data.GetString(EventFields.RunId);

    /// <summary>The <c>session_id</c> field, or <see langword="null"/>.</summary>
    public string? SessionId => Data.GetString(EventFields.SessionId);

    /// <inheritdoc />
    public override string ToString() => $"{Timestamp:O} {Type}";
}
