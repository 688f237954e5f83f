namespace Reyn.Runtime.HotReload;

/// <summary>Names of the standard seams, in the order a session registers them.</summary>
public static class ReloadSeamNames
{
    /// <summary>Runtime cron jobs.</summary>
    public const string Cron = "cron";

    /// <summary>Tool servers.</summary>
    public const string Mcp = "mcp";

    /// <summary>Per-agent capability profiles.</summary>
    public const string PerAgentCapability = "per_agent_capability";

    /// <summary>Agent discovery (an accounting no-op: agents are discovered live).</summary>
    public const string NewAgent = "new_agent";

    /// <summary>The hook registry.</summary>
    public const string Hooks = "hooks";
}
