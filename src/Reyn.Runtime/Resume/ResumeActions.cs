namespace Reyn.Runtime;

/// <summary>What the resume coordinator does with an in-flight run (the <c>action</c> of <c>skill_run_resumed</c>).</summary>
public static class ResumeActions
{
    /// <summary>No ambiguous step: the run re-enters its phase, committed steps are served from the WAL.</summary>
    public const string Resume = "resume";

    /// <summary>Ambiguous steps are run again (at-least-once); policy <c>retry</c> (and the legacy <c>prompt</c>).</summary>
    public const string Retry = "retry";

    /// <summary>Ambiguous steps are treated as completed with <c>{"status":"skipped"}</c> (at-most-once).</summary>
    public const string Skip = "skip";

    /// <summary>The run is aborted: <c>skill_discarded</c> is recorded and its snapshot deleted.</summary>
    public const string DiscardSkill = "discard_skill";

    /// <summary>The run's skill is not registered: the run is left on disk untouched.</summary>
    public const string UnknownSkill = "unknown_skill";
}
