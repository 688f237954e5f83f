namespace Reyn.Runtime;

/// <summary>Per-run overrides of <see cref="ReynRuntime.RunSkillAsync(SkillDefinition, object?, SkillRunOptions?, CancellationToken)"/>.</summary>
public sealed class SkillRunOptions
{
    /// <summary>The run id; default <c>&lt;utc yyyyMMddTHHmmssffffff&gt;Z_&lt;skill&gt;_&lt;4 hex&gt;</c>.</summary>
    public string? RunId { get; init; }

    /// <summary>The workspace of this run; default <see cref="ReynOptions.WorkspaceDirectory"/>.</summary>
    public string? Workspace { get; init; }

    /// <summary>The chat session that spawned the run, stamped on its events.</summary>
    public string? SessionId { get; init; }

    /// <summary>The request chain the run belongs to, stamped on its events.</summary>
    public string? ChainId { get; init; }
}
