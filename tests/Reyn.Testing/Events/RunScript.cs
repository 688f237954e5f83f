namespace Reyn.Testing.Events;

/// <summary>What one generated skill run looks like (see <see cref="RunLogWriter"/>).</summary>
public sealed record RunScript
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The skill name.</summary>
    public required string Skill { get; init; }

    /// <summary>The skill version hash (64 hex characters in production).</summary>
    public string VersionHash { get; init; } = new('a', 64);

    /// <summary>Start time.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(43);

    /// <summary>Phases in order.</summary>
    public IReadOnlyList<string> Phases { get; init; } = ["explore", "plan", "apply", "verify", "report"];

    /// <summary>Ops called in every phase.</summary>
    public IReadOnlyList<string> ToolsPerPhase { get; init; } = ["grep"];

    /// <summary>LLM cost per phase.</summary>
    public double CostPerPhase { get; init; } = 0.02;

    /// <summary>The raw <c>run_skill_completed.status</c>.</summary>
    public string Status { get; init; } = "success";

    /// <summary>The phase that emits <c>phase_failed</c> with <see cref="Error"/>.</summary>
    public string? FailingPhase { get; init; }

    /// <summary>The error of the failing phase.</summary>
    public string? Error { get; init; }

    /// <summary>The phase that emits <c>loop_limit_exceeded</c>.</summary>
    public string? LoopLimitPhase { get; init; }

    /// <summary>Leave out the completion events.</summary>
    public bool Unfinished { get; init; }
}
