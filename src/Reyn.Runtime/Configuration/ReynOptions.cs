namespace Reyn.Runtime;

/// <summary>
/// Options of <c>AddReyn</c>. Set them in code, in <c>reyn.yaml</c> (<see cref="ConfigFile"/>), or both: reyn.yaml is
/// applied first and code after it, so code wins.
/// </summary>
public sealed class ReynOptions
{
    /// <summary>The <c>.reyn/</c> root (events, WAL, agents). Default <c>.reyn</c> under the current directory.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>A <c>reyn.yaml</c> to load (the OUT-set); <see langword="null"/> = none. Errors name the file, line and key.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The agent the runtime acts as. Default <c>main</c>.</summary>
    public string Agent { get; set; } = "main";

    /// <summary>The workspace of skill runs; default <c>&lt;root&gt;/agents/&lt;agent&gt;/workspace</c>.</summary>
    public string? WorkspaceDirectory { get; set; }

    /// <summary>The agent's capability profile (<c>permissions:</c>).</summary>
    public CapabilityProfile Permissions { get; } = new();

    /// <summary>Default per-phase budgets (<c>budget:</c>).</summary>
    public BudgetOptions Budget { get; } = new();

    /// <summary>The loop valve (<c>loop:</c>).</summary>
    public LoopOptions Loop { get; } = new();

    /// <summary>Per-model prices (<c>prices:</c>).</summary>
    public PriceTable Prices { get; } = new();

    /// <summary>What crash resume does with an ambiguous step (<c>skill_resume:</c>).</summary>
    public SkillResumeOptions SkillResume { get; } = new();

    /// <summary>Limits of the built-in <c>shell</c> op (<c>ops.shell:</c>).</summary>
    public ShellOptions Shell { get; } = new();

    /// <summary>Limits of the built-in <c>web_fetch</c> op (<c>ops.web_fetch:</c>).</summary>
    public WebFetchOptions WebFetch { get; } = new();

    /// <summary>
    /// Durability of the WAL (<c>&lt;root&gt;/state/wal.jsonl</c>) that <c>AddReyn</c> opens when no <c>IStateLog</c> is
    /// registered: <see cref="Reyn.State.DurabilityMode.Always"/> (default), <c>Batched</c> or <c>None</c>.
    /// <see langword="null"/> disables durable steps (no WAL, no crash resume).
    /// </summary>
    public Reyn.State.DurabilityMode? WalDurability { get; set; } = Reyn.State.DurabilityMode.Always;

    /// <summary>The model id used when an LLM call does not name one and the client reports none. Default <see langword="null"/>.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// The wake-loop valve of hooks (<c>safety.loop.max_hook_driven_turns</c>): how many hook-started turns may follow
    /// each other before wake pushes ride along with the next turn instead. 0 disables waking. Default 5.
    /// </summary>
    public int MaxHookDrivenTurns { get; set; } = Hooks.HookDispatcherOptions.DefaultMaxHookDrivenTurns;

    /// <summary>
    /// Whether <c>AddReyn</c> wires hot reload and hooks into sessions (the IN-set <c>.reyn/{mcp,cron,hooks}.yaml</c>
    /// applied at turn boundaries, the <c>hooks_add</c> op). Default <see langword="true"/>.
    /// </summary>
    public bool HotReload { get; set; } = true;

    /// <summary>Index, activity store and scheduler settings that <c>AddReyn</c> passes to the packages it composes.</summary>
    public ReynCompositionOptions Packages { get; } = new();

    /// <summary>Problems in reyn.yaml that were reported and replaced by defaults (for example an unknown resume policy).</summary>
    public IList<string> ConfigWarnings { get; } = [];

    /// <summary>The workspace directory after defaults.</summary>
    public string ResolveWorkspace() => Path.GetFullPath(WorkspaceDirectory ?? Path.Combine(RootDirectory, "agents", Agent, "workspace"));

    /// <summary>The agent's state directory (<c>&lt;root&gt;/agents/&lt;agent&gt;/state</c>).</summary>
    public string ResolveAgentStateDirectory() => Path.GetFullPath(Path.Combine(RootDirectory, "agents", Agent, "state"));
}

/// <summary>Default per-phase budgets; a phase's own <see cref="PhaseBudget"/> wins.</summary>
public sealed class BudgetOptions
{
    /// <summary>Model calls per phase visit (<c>max_llm_calls_per_phase</c>). Default 10.</summary>
    public int MaxLlmCallsPerPhase { get; set; } = 10;

    /// <summary>Tokens per phase visit (<c>max_tokens_per_phase</c>). Default none.</summary>
    public long? MaxTokensPerPhase { get; set; }

    /// <summary>Wall-clock time per phase visit (<c>phase_timeout_seconds</c>). Default none.</summary>
    public TimeSpan? PhaseTimeout { get; set; }
}

/// <summary>The loop valve: how often a phase may be re-entered in one run.</summary>
public sealed class LoopOptions
{
    /// <summary>Default visit limit of a phase that sets none (<c>max_visits</c>). Default 5.</summary>
    public int MaxVisits { get; set; } = 5;
}

/// <summary>The crash-resume policy for ambiguous side-effect steps (used by crash resume).</summary>
public sealed class SkillResumeOptions
{
    /// <summary>The allowed policy values.</summary>
    public static IReadOnlyList<string> Policies { get; } = ["retry", "skip", "discard_skill", "prompt"];

    /// <summary>The policy of skills without an entry in <see cref="PerSkill"/>. Default <c>retry</c>.</summary>
    public string Default { get; set; } = "retry";

    /// <summary>Per-skill policies.</summary>
    public IDictionary<string, string> PerSkill { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The policy of <paramref name="skill"/>.</summary>
    public string PolicyFor(string skill) => PerSkill.TryGetValue(skill, out var policy) ? policy : Default;
}
