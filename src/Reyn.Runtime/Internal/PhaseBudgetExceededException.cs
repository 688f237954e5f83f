namespace Reyn.Runtime.Internal;

/// <summary>A phase visit used up one of its budgets; the runner emits <c>phase_budget_exceeded</c>.</summary>
internal sealed class PhaseBudgetExceededException(string budget, string elapsed, string limit)
    : Exception($"Phase budget '{budget}' exceeded: {elapsed} > {limit}")
{
    public string Budget { get; } = budget;

    public string Used { get; } = elapsed;

    public string Limit { get; } = limit;
}
