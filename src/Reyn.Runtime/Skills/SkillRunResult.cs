namespace Reyn.Runtime;

/// <summary>How a skill run ended.</summary>
public enum SkillRunStatus
{
    /// <summary>A phase returned <see cref="PhaseResult.Finish"/>.</summary>
    Succeeded,

    /// <summary>A phase threw, returned an unknown next phase, or the WAL failed; the run can be resumed.</summary>
    Failed,

    /// <summary>A phase returned <see cref="PhaseResult.Abort"/>.</summary>
    Aborted,

    /// <summary>A phase was entered more often than its visit limit.</summary>
    LoopLimitExceeded,

    /// <summary>A phase used up its budget (model calls, tokens or time).</summary>
    BudgetExceeded,

    /// <summary>The caller cancelled the run; it can be resumed.</summary>
    Cancelled,
}

/// <summary>The outcome of a skill run.</summary>
public sealed class SkillRunResult
{
    internal SkillRunResult()
    {
    }

    /// <summary>The run id (also the name of the run's events file).</summary>
    public required string RunId { get; init; }

    /// <summary>The skill name.</summary>
    public required string Skill { get; init; }

    /// <summary>The skill's version hash.</summary>
    public required string SkillVersionHash { get; init; }

    /// <summary>How the run ended.</summary>
    public required SkillRunStatus Status { get; init; }

    /// <summary>The status as written on <c>run_skill_completed</c> (<c>success</c>, <c>failed</c>, <c>aborted</c>, <c>loop_limit</c>, <c>budget_exceeded</c>, <c>cancelled</c>).</summary>
    public string StatusName => Internal.SkillRunner.StatusName(Status);

    /// <summary>The artifact of the finishing phase.</summary>
    public required PhaseArtifact Output { get; init; }

    /// <summary>What went wrong, for runs that did not succeed.</summary>
    public string? Error { get; init; }

    /// <summary>The phases entered, in order.</summary>
    public required IReadOnlyList<string> Phases { get; init; }

    /// <summary>Wall-clock duration.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Prompt tokens over all model calls.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens over all model calls.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Prompt tokens served from the provider's cache.</summary>
    public long CachedTokens { get; init; }

    /// <summary>Cost in US dollars from the price table.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Model calls made.</summary>
    public int LlmCalls { get; init; }

    /// <summary>Op calls made (including refused ones).</summary>
    public int OpCalls { get; init; }

    /// <summary>Whether the run succeeded.</summary>
    public bool Succeeded => Status == SkillRunStatus.Succeeded;
}
