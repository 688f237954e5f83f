namespace Reyn.Runtime;

/// <summary>
/// What running an op does to the world, which decides what the runtime records about it (events and WAL steps)
/// and what a resumed run does with it.
/// </summary>
public enum OpPurity
{
    /// <summary>Depends only on its arguments: nothing is written to the WAL; it simply runs again on resume.</summary>
    Pure,

    /// <summary>Reads the outside world (web, index, workspace files): only <c>step_completed</c>; always re-executed on resume.</summary>
    World,

    /// <summary>Changes the world (file writes, shell, anything unknown): durable <c>step_started</c> before, <c>step_completed</c>/<c>step_failed</c> after.</summary>
    SideEffect,

    /// <summary>Calls another system that may act (MCP tools, sub-skills): recorded like <see cref="SideEffect"/>.</summary>
    External,

    /// <summary>A model call: only <c>step_completed</c> with the response, so resume never pays twice.</summary>
    Llm,
}
