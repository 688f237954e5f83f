namespace Reyn.Events;

/// <summary>Names of the payload fields that the emitter stamps or that many event types share.</summary>
public static class EventFields
{
    /// <summary>The skill run id.</summary>
    public const string RunId = "run_id";
    /// <summary>The skill (workflow) name.</summary>
    public const string Skill = "skill";
    /// <summary>The phase current at emission time.</summary>
    public const string Phase = "phase";
    /// <summary>The agent name.</summary>
    public const string Agent = "agent";
    /// <summary>The chat session id.</summary>
    public const string SessionId = "session_id";
    /// <summary>The request chain id, carried across agent hops.</summary>
    public const string ChainId = "chain_id";
    /// <summary>The project the event belongs to.</summary>
    public const string Project = "project";
    /// <summary>The token of the <see cref="EventLog"/> that emitted the event; stamped, never caller-set.</summary>
    public const string Emitter = "emitter";
    /// <summary>1, 2, 3... per emitter; stamped, never caller-set.</summary>
    public const string AuditSeq = "audit_seq";
    /// <summary>Overrides the catalog's default level for one event (<c>debug</c>, <c>info</c>, <c>warn</c>, <c>error</c>).</summary>
    public const string Level = "level";
}
