using Reyn.State;

namespace Reyn.Runtime.Resume.Internal;

/// <summary>Where a resumed run re-enters: its phase, the phase's input, the visit counts so far and the memo.</summary>
internal sealed class ResumeStart
{
    public required string RunId { get; init; }
    public required string Phase { get; init; }
    public required PhaseArtifact Input { get; init; }

    /// <summary>Visits per phase including the in-flight visit of <see cref="Phase"/> (which is re-entered, not counted again).</summary>
    public required Dictionary<string, int> VisitCounts { get; init; }

    /// <summary>Phases entered before the in-flight one, in order.</summary>
    public required List<string> History { get; init; }

    public required WalStepMemo Memo { get; init; }

    /// <summary>Questions the in-flight visit already asked (re-asked by nobody: answered, buffered or waited for again).</summary>
    public Interventions.Internal.InterventionMemo? Interventions { get; init; }
    public required SkillRunSnapshot Snapshot { get; init; }
    public required string Action { get; init; }
}
