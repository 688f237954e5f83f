using Reyn.Runtime.Hooks;

namespace Reyn.Runtime.HotReload;

/// <summary>The IN-set files of one agent directory (<c>.reyn/agents/&lt;name&gt;/</c>).</summary>
/// <param name="Name">The agent name (the directory name).</param>
/// <param name="Profile">The capability profile, or <see langword="null"/> when <c>profile.yaml</c> is missing or invalid.</param>
/// <param name="Hooks">The agent's hooks layer (<c>hooks.yaml</c>; empty when missing).</param>
public sealed record AgentInSet(string Name, AgentProfile? Profile, HookLayer Hooks);
