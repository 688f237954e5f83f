namespace Reyn.Events;

/// <summary>How often an event type may fire for one condition; its noise budget.</summary>
public enum EventNoise
{
    /// <summary>At most once per activation of the condition (for example a run starting).</summary>
    OneShot,
    /// <summary>Once per milestone of a longer process (a phase, a turn, a reload).</summary>
    Milestone,
    /// <summary>Intentionally once per occurrence (each op call, each LLM call).</summary>
    Repeated,
}
