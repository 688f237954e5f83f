namespace Reyn.Runtime.HotReload;

/// <summary>The <c>source</c> values of reload requests.</summary>
public static class ReloadSources
{
    /// <summary>The operator asked (<c>/reload</c>, <c>ReynSession.RequestReload()</c>).</summary>
    public const string Operator = "operator";

    /// <summary>An LLM op changed the IN-set (<c>hooks_add</c>).</summary>
    public const string LlmOp = "llm_op";

    /// <summary>The opt-in file watcher saw an IN-set file change.</summary>
    public const string FileWatch = "file_watch";

    /// <summary>
    /// The IN-set read when the session machinery is created: a component whose file has a problem starts empty, and
    /// <c>config_reload_rejected</c> says which file and line.
    /// </summary>
    public const string Boot = "boot";
}
