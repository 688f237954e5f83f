namespace Reyn.Events;

/// <summary>The names of every event type in the <see cref="EventCatalog"/>.</summary>
public static class EventTypes
{
    /// <summary><c>workflow_started</c>: A skill run began executing its entry phase.</summary>
    public const string WorkflowStarted = "workflow_started";

    /// <summary><c>workflow_finished</c>: A skill run ended; reason says why (finish, loop_limit, budget, error).</summary>
    public const string WorkflowFinished = "workflow_finished";

    /// <summary><c>phase_started</c>: A phase was entered; visit_count counts re-entries.</summary>
    public const string PhaseStarted = "phase_started";

    /// <summary><c>phase_completed</c>: A phase returned its decision: the next phase or finish.</summary>
    public const string PhaseCompleted = "phase_completed";

    /// <summary><c>phase_failed</c>: A phase threw or its output could not be used.</summary>
    public const string PhaseFailed = "phase_failed";

    /// <summary><c>loop_limit_exceeded</c>: A phase was entered more often than its visit limit allows; the run fails.</summary>
    public const string LoopLimitExceeded = "loop_limit_exceeded";

    /// <summary><c>phase_budget_exceeded</c>: A phase used more time or tokens than its budget; the run fails.</summary>
    public const string PhaseBudgetExceeded = "phase_budget_exceeded";

    /// <summary><c>run_skill_started</c>: A skill run was created; carries skill_version_hash (sha256 of the definition).</summary>
    public const string RunSkillStarted = "run_skill_started";

    /// <summary><c>run_skill_completed</c>: A skill run ended with its status, duration, tokens and cost.</summary>
    public const string RunSkillCompleted = "run_skill_completed";

    /// <summary><c>context_built</c>: The prompt context of an LLM call was assembled (shown in conversation mode).</summary>
    public const string ContextBuilt = "context_built";

    /// <summary><c>llm_called</c>: A model call was sent.</summary>
    public const string LlmCalled = "llm_called";

    /// <summary><c>llm_response_received</c>: A model call returned, with token usage and cost.</summary>
    public const string LlmResponseReceived = "llm_response_received";

    /// <summary><c>validation_error</c>: Structured output did not match the requested type; the phase retries within its budget.</summary>
    public const string ValidationError = "validation_error";

    /// <summary><c>normalization_error</c>: Output could not be coerced into the expected shape.</summary>
    public const string NormalizationError = "normalization_error";

    /// <summary><c>tool_called</c>: A side-effect or external op is about to run.</summary>
    public const string ToolCalled = "tool_called";

    /// <summary><c>tool_returned</c>: An op returned a result.</summary>
    public const string ToolReturned = "tool_returned";

    /// <summary><c>tool_failed</c>: An op threw or returned an error.</summary>
    public const string ToolFailed = "tool_failed";

    /// <summary><c>unknown_tool</c>: A phase asked for an op that is not registered; carries a did-you-mean hint.</summary>
    public const string UnknownTool = "unknown_tool";

    /// <summary><c>permission_granted</c>: An op passed the skill's permissions and the agent's capability profile.</summary>
    public const string PermissionGranted = "permission_granted";

    /// <summary><c>permission_denied</c>: An op was refused by the skill's permissions or the capability profile.</summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary><c>step_memoized</c>: On resume, a committed step's recorded result was returned without running the op again.</summary>
    public const string StepMemoized = "step_memoized";

    /// <summary><c>skill_resumed</c>: A run re-entered its in-flight phase after a restart.</summary>
    public const string SkillResumed = "skill_resumed";

    /// <summary><c>skill_run_resumed</c>: The resume coordinator launched an in-flight run with its decision.</summary>
    public const string SkillRunResumed = "skill_run_resumed";

    /// <summary><c>skill_run_interrupted</c>: A run failed with an ordinary exception or was cancelled; its snapshot is kept for resume.</summary>
    public const string SkillRunInterrupted = "skill_run_interrupted";

    /// <summary><c>skill_run_discarded</c>: The discard_skill policy aborted an in-flight run after a restart.</summary>
    public const string SkillRunDiscarded = "skill_run_discarded";

    /// <summary><c>chat_started</c>: A chat session began.</summary>
    public const string ChatStarted = "chat_started";

    /// <summary><c>chat_stopped</c>: A chat session ended.</summary>
    public const string ChatStopped = "chat_stopped";

    /// <summary><c>user_message_received</c>: A user message arrived; chain_id starts its trace.</summary>
    public const string UserMessageReceived = "user_message_received";

    /// <summary><c>skill_run_spawned</c>: A turn was routed to a skill run.</summary>
    public const string SkillRunSpawned = "skill_run_spawned";

    /// <summary><c>skill_spawn_refused</c>: A turn asked for a skill that could not be started.</summary>
    public const string SkillSpawnRefused = "skill_spawn_refused";

    /// <summary><c>turn_started</c>: A turn began.</summary>
    public const string TurnStarted = "turn_started";

    /// <summary><c>turn_completed</c>: A turn ended; this is the safe point for reloads and hooks.</summary>
    public const string TurnCompleted = "turn_completed";

    /// <summary><c>agent_message_sent</c>: An agent sent a message to another agent.</summary>
    public const string AgentMessageSent = "agent_message_sent";

    /// <summary><c>agent_request_received</c>: An agent received a request.</summary>
    public const string AgentRequestReceived = "agent_request_received";

    /// <summary><c>agent_response_received</c>: An agent received a response to its request.</summary>
    public const string AgentResponseReceived = "agent_response_received";

    /// <summary><c>agent_message_refused</c>: A message between agents was refused.</summary>
    public const string AgentMessageRefused = "agent_message_refused";

    /// <summary><c>user_intervention_requested</c>: A run paused to ask a person.</summary>
    public const string UserInterventionRequested = "user_intervention_requested";

    /// <summary><c>user_intervention_received</c>: The person's answer reached the run.</summary>
    public const string UserInterventionReceived = "user_intervention_received";

    /// <summary><c>config_reloaded</c>: IN-set config was re-applied at a turn boundary.</summary>
    public const string ConfigReloaded = "config_reloaded";

    /// <summary><c>config_reload_rejected</c>: A malformed IN-set was refused; the live config is unchanged.</summary>
    public const string ConfigReloadRejected = "config_reload_rejected";

    /// <summary><c>hook_fired</c>: A push hook rendered its message at a lifecycle point.</summary>
    public const string HookFired = "hook_fired";

    /// <summary><c>cron_fired</c>: A scheduled job started.</summary>
    public const string CronFired = "cron_fired";

    /// <summary><c>cron_job_completed</c>: A scheduled job finished.</summary>
    public const string CronJobCompleted = "cron_job_completed";

    /// <summary><c>cron_job_failed</c>: A scheduled job threw; the scheduler carries on.</summary>
    public const string CronJobFailed = "cron_job_failed";

    /// <summary><c>cron_job_skipped</c>: A tick was skipped (the previous run is still going, or a misfire).</summary>
    public const string CronJobSkipped = "cron_job_skipped";

    /// <summary><c>recall_embed_failed</c>: The embedding generator failed; recall answered with BM25 only.</summary>
    public const string RecallEmbedFailed = "recall_embed_failed";

    /// <summary><c>index_events_completed</c>: An index_events pass finished.</summary>
    public const string IndexEventsCompleted = "index_events_completed";
}
