using System.Collections.Frozen;

namespace Reyn.State;

/// <summary>
/// The WAL record kinds Reyn writes. Appending any other kind throws unless the host registers it
/// (<see cref="FileStateLogOptions.ExtraKinds"/>); readers accept every kind.
/// </summary>
public static class WalKinds
{
    /// <summary>A skill run started (<c>run_id</c>, <c>agent</c>, <c>skill</c>, <c>skill_input</c>, <c>session_id</c>).</summary>
    public const string SkillStarted = "skill_started";
    /// <summary>A skill run moved to its next phase (<c>run_id</c>, <c>next_phase</c>, <c>last_phase_artifact_path</c>).</summary>
    public const string SkillPhaseAdvanced = "skill_phase_advanced";
    /// <summary>A side-effect op is about to run (<c>run_id</c>, <c>phase</c>, <c>op_invocation_id</c>, <c>op_kind</c>, <c>args</c>, <c>args_hash</c>).</summary>
    public const string StepStarted = "step_started";
    /// <summary>An op completed (<c>result</c>, optional <c>usage</c>).</summary>
    public const string StepCompleted = "step_completed";
    /// <summary>An op failed (<c>error_kind</c>, <c>message</c>).</summary>
    public const string StepFailed = "step_failed";
    /// <summary>A skill run was resumed after a restart.</summary>
    public const string SkillResumed = "skill_resumed";
    /// <summary>A skill run finished (<c>agent</c>, <c>run_id</c>, <c>status</c>); like <see cref="SkillDiscarded"/>, it drops the run's interventions from the agent snapshot.</summary>
    public const string SkillCompleted = "skill_completed";
    /// <summary>A skill run was discarded by the resume policy (<c>agent</c>, <c>run_id</c>); the agent snapshot drops its interventions and buffered answer.</summary>
    public const string SkillDiscarded = "skill_discarded";
    /// <summary>A message was put into an agent's inbox (<c>target</c>, <c>msg_id</c>, <c>msg_kind</c>, <c>payload</c>).</summary>
    public const string InboxPut = "inbox_put";
    /// <summary>A message was consumed from an inbox (<c>agent</c>, <c>msg_id</c>).</summary>
    public const string InboxConsume = "inbox_consume";
    /// <summary>A delegation chain was registered (<c>chain_id</c>, <c>origin_agent</c>, <c>origin_depth</c>, <c>original_request</c>, <c>waiting_on</c>).</summary>
    public const string ChainRegister = "chain_register";
    /// <summary>A chain's waiting set changed.</summary>
    public const string ChainUpdate = "chain_update";
    /// <summary>A chain resolved.</summary>
    public const string ChainResolve = "chain_resolve";
    /// <summary>An intervention (question to a human) was dispatched (<c>agent</c>, <c>run_id</c>, <c>intervention_id</c>, <c>op_invocation_id</c>, <c>question</c>, <c>choices</c>; Python Reyn: <c>target</c>, <c>iv</c>).</summary>
    public const string InterventionDispatched = "intervention_dispatched";
    /// <summary>An intervention was resolved (<c>agent</c>, <c>run_id</c>, <c>intervention_id</c>, <c>text</c>, <c>choice_id</c>).</summary>
    public const string InterventionResolved = "intervention_resolved";
    /// <summary>An answer arrived before the resuming run consumed it (<c>run_id</c>, <c>intervention_id</c>, <c>text</c>, <c>choice_id</c>).</summary>
    public const string InterventionAnswerBuffered = "intervention_answer_buffered";
    /// <summary>A buffered answer was consumed by the resumed run (<c>run_id</c>, <c>intervention_id</c>).</summary>
    public const string InterventionAnswerConsumed = "intervention_answer_consumed";
    /// <summary>A task subscription was recorded.</summary>
    public const string TaskSubscribed = "task_subscribed";
    /// <summary>A task was re-bound to another assignee.</summary>
    public const string TaskRebound = "task_rebound";

    /// <summary>Every built-in kind.</summary>
    public static IReadOnlyCollection<string> All { get; } = FrozenSet.ToFrozenSet(
    [
        SkillStarted, SkillPhaseAdvanced, StepStarted, StepCompleted, StepFailed, SkillResumed, SkillCompleted,
        SkillDiscarded, InboxPut, InboxConsume, ChainRegister, ChainUpdate, ChainResolve, InterventionDispatched,
        InterventionResolved, InterventionAnswerBuffered, InterventionAnswerConsumed, TaskSubscribed, TaskRebound,
    ], StringComparer.Ordinal);

    /// <summary>Whether <paramref name="kind"/> is a well-formed kind name: lowercase snake_case, 1 to 64 characters.</summary>
    public static bool IsWellFormed(string? kind)
    {
        if (string.IsNullOrEmpty(kind) || kind.Length > 64 || kind[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in kind)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
