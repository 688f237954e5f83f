namespace Reyn.Index;

/// <summary>Per-skill counts of an ops report.</summary>
/// <param name="Skill">The skill.</param>
/// <param name="Runs">Runs in the period.</param>
/// <param name="Successes">Successful runs.</param>
/// <param name="Failures">Failed or aborted runs.</param>
/// <param name="TotalCostUsd">Sum of known costs.</param>
public sealed record SkillOpsSummary(string Skill, int Runs, int Successes, int Failures, double TotalCostUsd);
