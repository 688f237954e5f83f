namespace Reyn.Runtime.Hooks;

/// <summary>The eight lifecycle points a hook can be attached to (<c>on:</c> in YAML).</summary>
public enum HookPoint
{
    /// <summary><c>turn_start</c>: a turn is about to run.</summary>
    TurnStart,
    /// <summary><c>turn_end</c>: a turn completed (after <c>turn_completed</c>).</summary>
    TurnEnd,
    /// <summary><c>session_start</c>: a session began.</summary>
    SessionStart,
    /// <summary><c>session_end</c>: a session ended.</summary>
    SessionEnd,
    /// <summary><c>skill_start</c>: a skill run started.</summary>
    SkillStart,
    /// <summary><c>skill_end</c>: a skill run finished.</summary>
    SkillEnd,
    /// <summary><c>task_start</c>: a delegated task started.</summary>
    TaskStart,
    /// <summary><c>task_end</c>: a delegated task finished.</summary>
    TaskEnd,
}
