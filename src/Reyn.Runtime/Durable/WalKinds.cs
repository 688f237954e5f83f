namespace Reyn.Runtime;

/// <summary>The WAL record kinds a skill run writes (see DESIGN.md "Durable step").</summary>
public static class WalKinds
{
    /// <summary>A run was created: <c>{agent, run_id, skill_name, skill_input, skill_version_hash, entry_phase}</c>.</summary>
    public const string SkillStarted = "skill_started";

    /// <summary>A phase handed over: <c>{agent, run_id, phase, next_phase, visit_counts, artifact | artifact_ref}</c>.</summary>
    public const string SkillPhaseAdvanced = "skill_phase_advanced";

    /// <summary>A run ended for good (finish, deliberate abort, loop limit, budget): <c>{agent, run_id, status}</c>.</summary>
    public const string SkillCompleted = "skill_completed";

    /// <summary>A side-effect or external op is about to run (durable before it runs).</summary>
    public const string StepStarted = "step_started";

    /// <summary>An op or model call completed, with its result.</summary>
    public const string StepCompleted = "step_completed";

    /// <summary>A side-effect or external op failed.</summary>
    public const string StepFailed = "step_failed";

    /// <summary>Every kind above.</summary>
    public static IReadOnlyList<string> All { get; } = [SkillStarted, SkillPhaseAdvanced, SkillCompleted, StepStarted, StepCompleted, StepFailed];
}
