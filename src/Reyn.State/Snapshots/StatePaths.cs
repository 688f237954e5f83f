namespace Reyn.State;

/// <summary>Where Reyn.State keeps its files under a <c>.reyn/</c> root.</summary>
public sealed class StatePaths
{
    /// <summary>Creates the paths for the root <paramref name="root"/> (the <c>.reyn/</c> directory).</summary>
    public StatePaths(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The <c>.reyn/</c> directory.</summary>
    public string Root { get; }

    /// <summary><c>.reyn/state/wal.jsonl</c>.</summary>
    public string Wal => Path.Combine(Root, "state", "wal.jsonl");

    /// <summary><c>.reyn/agents/</c>.</summary>
    public string Agents => Path.Combine(Root, "agents");

    /// <summary><c>.reyn/agents/&lt;agent&gt;/state/</c>.</summary>
    public string AgentState(string agent) => Path.Combine(Agents, Segment(agent, nameof(agent)), "state");

    /// <summary>The agent snapshot: <c>state/snapshot.json</c> for session <c>main</c>, else <c>state/sessions/&lt;id&gt;/snapshot.json</c>.</summary>
    public string AgentSnapshot(string agent, string sessionId = "main") => sessionId == "main"
        ? Path.Combine(AgentState(agent), "snapshot.json")
        : Path.Combine(AgentState(agent), "sessions", Segment(sessionId, nameof(sessionId)), "snapshot.json");

    /// <summary><c>.reyn/agents/&lt;agent&gt;/state/skills/</c>.</summary>
    public string SkillRuns(string agent) => Path.Combine(AgentState(agent), "skills");

    /// <summary><c>.reyn/agents/&lt;agent&gt;/state/skills/&lt;run_id&gt;.snapshot.json</c>.</summary>
    public string SkillRunSnapshot(string agent, string runId) => Path.Combine(SkillRuns(agent), Segment(runId, nameof(runId)) + ".snapshot.json");

    /// <summary><c>.reyn/agents/&lt;agent&gt;/state/generations/</c> (session <c>main</c>) or the session's own folder.</summary>
    public string Generations(string agent, string sessionId = "main") =>
        Path.Combine(Path.GetDirectoryName(AgentSnapshot(agent, sessionId))!, "generations");

    /// <summary>Throws unless <paramref name="value"/> is a single safe path segment.</summary>
    internal static string Segment(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value is "." or ".." || value.IndexOfAny(['/', '\\', '\0', ':']) >= 0)
        {
            throw new ArgumentException($"'{value}' is not a valid {name}: use a name without '/', '\\', ':' and not '.' or '..'.", name);
        }

        return value;
    }
}
