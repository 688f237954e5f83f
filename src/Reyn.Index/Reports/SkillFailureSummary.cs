namespace Reyn.Index;

/// <summary>The skill with the most failures and its primary cause.</summary>
/// <param name="Skill">The skill.</param>
/// <param name="Failures">Failed or aborted runs.</param>
/// <param name="Runs">All runs of the skill in the period.</param>
/// <param name="PrimaryPhase">The most common failing phase, if known.</param>
/// <param name="PrimaryError">The most common error in that phase, if known.</param>
public sealed record SkillFailureSummary(string Skill, int Failures, int Runs, string? PrimaryPhase, string? PrimaryError)
{
    /// <summary>"test execution timeout in verify phase", or what is known of it.</summary>
    public string PrimaryCause => (PrimaryError, PrimaryPhase) switch
    {
        ({ } e, { } p) => $"{e} in {p} phase",
        ({ } e, null) => e,
        (null, { } p) => $"failure in {p} phase",
        _ => "unknown",
    };
}
