using Reyn.Runtime.Hooks;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// One immutable reading of the IN-set (<c>.reyn/mcp.yaml</c>, <c>.reyn/cron.yaml</c>, <c>.reyn/hooks.yaml</c> and the
/// per-agent <c>profile.yaml</c>/<c>hooks.yaml</c>). A turn works against the snapshot current when it started; a
/// reload swaps in a new one only at the turn boundary.
/// </summary>
public sealed class InSetSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    public InSetSnapshot(
        McpConfig mcp,
        CronConfig cron,
        HookLayer hooks,
        IReadOnlyList<AgentInSet> agents,
        IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(errors);
        Mcp = mcp;
        Cron = cron;
        Hooks = hooks;
        Agents = agents;
        Errors = errors;
    }

    /// <summary>No IN-set at all (no <c>.reyn/</c> directory): every component is <c>{}</c>.</summary>
    public static InSetSnapshot Empty { get; } = new(McpConfig.Empty, CronConfig.Empty, HookLayer.Empty(HookLayerKind.Runtime, "hooks.yaml"), [], []);

    /// <summary>The <c>mcp</c> component (empty when the file is missing or invalid).</summary>
    public McpConfig Mcp { get; }

    /// <summary>The <c>cron</c> component (empty when the file is missing or invalid).</summary>
    public CronConfig Cron { get; }

    /// <summary>The runtime hooks layer (<c>.reyn/hooks.yaml</c>).</summary>
    public HookLayer Hooks { get; }

    /// <summary>Every agent directory under <c>.reyn/agents/</c>, ordered by name.</summary>
    public IReadOnlyList<AgentInSet> Agents { get; }

    /// <summary>Every problem found, each with file and line; a reload is rejected when this is not empty.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Whether every IN-set file parsed and validated.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The agent's files, or <see langword="null"/> when it has no directory.</summary>
    public AgentInSet? FindAgent(string name)
    {
        foreach (var agent in Agents)
        {
            if (string.Equals(agent.Name, name, StringComparison.Ordinal))
            {
                return agent;
            }
        }

        return null;
    }
}
