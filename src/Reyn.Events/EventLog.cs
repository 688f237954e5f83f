using System.Security.Cryptography;

namespace Reyn.Events;

/// <summary>
/// The emitter: stamps correlation fields, the <c>emitter</c> token and <c>audit_seq</c> on each event, then hands it
/// to the shared <see cref="EventPipeline"/> (sanitize once, fan out to sinks and subscribers).
/// </summary>
/// <remarks>
/// One token per instance, minted at construction: it identifies one process execution of one emitter and is never
/// resumed across a restart. <c>audit_seq</c> counts 1, 2, 3... per instance; callers cannot set either field.
/// <see cref="Emit(string, EventData?)"/> never throws because of a sink or subscriber.
/// </remarks>
public sealed class EventLog
{
    private readonly EventPipeline _pipeline;
    private long _auditSeq;

    /// <summary>Creates an emitter over <paramref name="pipeline"/> with the given correlation context.</summary>
    public EventLog(EventPipeline pipeline, EventContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        Context = context ?? EventContext.Empty;
        Emitter = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>The correlation fields stamped on each event. Replace it (<c>with</c>) as a run moves between phases.</summary>
    public EventContext Context { get; set; }

    /// <summary>This emitter's token (16 lower-case hex characters).</summary>
    public string Emitter { get; }

    /// <summary>The <c>audit_seq</c> of the most recent event (0 before the first).</summary>
    public long LastAuditSeq => Interlocked.Read(ref _auditSeq);

    /// <summary>The pipeline this emitter publishes to.</summary>
    public EventPipeline Pipeline => _pipeline;

    /// <summary>A new emitter (new token, new <c>audit_seq</c>) over the same pipeline with another context.</summary>
    public EventLog WithContext(EventContext context) => new(_pipeline, context);

    /// <summary>
    /// Emits one event. <paramref name="data"/> is taken over: it is stamped and sanitized in place.
    /// </summary>
    /// <param name="type">A type from <see cref="EventCatalog"/> (see <see cref="EventTypes"/>).</param>
    /// <param name="data">The payload; fields the caller set win over the context's.</param>
    /// <returns>The event as the sinks received it.</returns>
    public ReynEvent Emit(string type, EventData? data = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        data ??= new EventData(8);
        var context = Context;
        StampIfSet(data, EventFields.RunId, context.RunId);
        StampIfSet(data, EventFields.Agent, context.Agent);
        StampIfSet(data, EventFields.Skill, context.Skill);
        StampIfSet(data, EventFields.Phase, context.Phase);
        StampIfSet(data, EventFields.SessionId, context.SessionId);
        StampIfSet(data, EventFields.ChainId, context.ChainId);
        data.Set(EventFields.Emitter, Emitter);
        data.Set(EventFields.AuditSeq, Interlocked.Increment(ref _auditSeq));
        return _pipeline.Publish(type, data);
    }

    private static void StampIfSet(EventData data, string key, string? value)
    {
        if (value is not null)
        {
            data.SetIfAbsent(key, value);
        }
    }
}
