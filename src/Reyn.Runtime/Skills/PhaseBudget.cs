namespace Reyn.Runtime;

/// <summary>
/// Limits of one visit of a phase. Exceeding one emits <c>phase_budget_exceeded</c> and ends the run with status
/// <c>budget_exceeded</c>. Unset limits fall back to reyn.yaml <c>budget:</c> (then to the defaults of
/// <see cref="BudgetOptions"/>).
/// </summary>
public sealed record PhaseBudget
{
    /// <summary>Model calls per visit, structured-output retries included.</summary>
    public int? MaxLlmCalls { get; init; }

    /// <summary>Prompt + completion tokens per visit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Wall-clock time per visit (measured with the runtime's <see cref="TimeProvider"/>).</summary>
    public TimeSpan? MaxDuration { get; init; }
}
