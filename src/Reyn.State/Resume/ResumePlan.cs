using System.Text.Json;

namespace Reyn.State;

/// <summary>
/// How to resume one skill run: where it is (phase, visit counts, last artifact) and what already happened in the WAL
/// (committed steps to serve from the memo, ambiguous steps for the resume policy). Built by <see cref="SkillResumeAnalyzer"/>.
/// </summary>
public sealed record ResumePlan
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The skill name.</summary>
    public string? Skill { get; init; }

    /// <summary>The skill input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>The phase to resume in.</summary>
    public string? CurrentPhase { get; init; }

    /// <summary>The artifact of the last completed phase (the resumed phase's input).</summary>
    public string? LastPhaseArtifactPath { get; init; }

    /// <summary>The intervention the run waits on, if any.</summary>
    public string? AwaitingInterventionId { get; init; }

    /// <summary>Phases entered, in order.</summary>
    public IReadOnlyList<string> PhasesVisited { get; init; } = [];

    /// <summary>Visits per phase.</summary>
    public IReadOnlyDictionary<string, int> VisitCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Steps with a recorded outcome, ordered by seq.</summary>
    public IReadOnlyList<CommittedStep> CommittedSteps { get; init; } = [];

    /// <summary>Steps started without a completion, ordered by <see cref="AmbiguousStep.StartedSeq"/>.</summary>
    public IReadOnlyList<AmbiguousStep> AmbiguousSteps { get; init; } = [];

    /// <summary>Whether any step is ambiguous (the resume policy must decide).</summary>
    public bool HasAmbiguity => AmbiguousSteps.Count > 0;
}
