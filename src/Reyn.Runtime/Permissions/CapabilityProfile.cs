namespace Reyn.Runtime;

/// <summary>
/// The agent-level limits every skill run of the agent is checked against, on top of the skill's own permissions
/// (reyn.yaml <c>permissions:</c>).
/// </summary>
public sealed class CapabilityProfile
{
    /// <summary>Op kinds the agent may never call, whatever a skill allows (<c>tool_deny</c>).</summary>
    public IList<string> ToolDeny { get; } = [];

    /// <summary>When not <see langword="null"/>, the only op kinds the agent may call (<c>allow_ops</c>). Default: no restriction.</summary>
    public IList<string>? AllowedOps { get; set; }
}
