namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// Something that enforces an agent's capability profile (the session, the skill runner, the router) and must see a
/// new profile after a reload.
/// </summary>
public interface ICapabilityHolder
{
    /// <summary>The agent whose profile this holder enforces.</summary>
    string Agent { get; }

    /// <summary>The profile in force, or <see langword="null"/> when none was applied yet.</summary>
    AgentProfile? Profile { get; }

    /// <summary>Puts <paramref name="profile"/> in force (allowed tools, skills and servers, <c>tool_deny</c>).</summary>
    void ApplyProfile(AgentProfile profile);
}
