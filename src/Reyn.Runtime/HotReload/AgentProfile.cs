namespace Reyn.Runtime.HotReload;

/// <summary>
/// The capability profile of one agent (<c>.reyn/agents/&lt;name&gt;/profile.yaml</c>): what it may use, intersected
/// with the skill's own permissions. A <see langword="null"/> allow-list means "not restricted by the profile".
/// </summary>
public sealed class AgentProfile : IEquatable<AgentProfile>
{
    /// <summary>Creates a profile.</summary>
    public AgentProfile(
        string agent,
        IReadOnlyList<string>? allowedTools,
        IReadOnlyList<string>? allowedSkills,
        IReadOnlyList<string>? allowedMcp,
        IReadOnlyList<string> toolDeny)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentNullException.ThrowIfNull(toolDeny);
        Agent = agent;
        AllowedTools = allowedTools;
        AllowedSkills = allowedSkills;
        AllowedMcp = allowedMcp;
        ToolDeny = toolDeny;
    }

    /// <summary>The agent name (its directory under <c>.reyn/agents/</c>).</summary>
    public string Agent { get; }

    /// <summary><c>allowed_tools</c>: op kinds the agent may use; <see langword="null"/> = no profile restriction.</summary>
    public IReadOnlyList<string>? AllowedTools { get; }

    /// <summary><c>allowed_skills</c>: skills the agent may run; <see langword="null"/> = no profile restriction.</summary>
    public IReadOnlyList<string>? AllowedSkills { get; }

    /// <summary><c>allowed_mcp</c>: tool servers the agent may call; <see langword="null"/> = no profile restriction.</summary>
    public IReadOnlyList<string>? AllowedMcp { get; }

    /// <summary><c>tool_deny</c>: op kinds always denied to the agent (for example <c>hooks_add</c>).</summary>
    public IReadOnlyList<string> ToolDeny { get; }

    /// <summary>Whether the profile lets the agent use the op kind <paramref name="tool"/> (deny wins over allow).</summary>
    public bool AllowsTool(string tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (ToolDeny.Contains(tool, StringComparer.Ordinal))
        {
            return false;
        }

        return AllowedTools is null || AllowedTools.Contains(tool, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public bool Equals(AgentProfile? other) =>
        other is not null
        && Agent == other.Agent
        && ListEquals(AllowedTools, other.AllowedTools)
        && ListEquals(AllowedSkills, other.AllowedSkills)
        && ListEquals(AllowedMcp, other.AllowedMcp)
        && ToolDeny.SequenceEqual(other.ToolDeny, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AgentProfile);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Agent, AllowedTools?.Count, AllowedSkills?.Count, AllowedMcp?.Count, ToolDeny.Count);

    private static bool ListEquals(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
}
