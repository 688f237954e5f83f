namespace Reyn.Runtime;

/// <summary>
/// Seam for the per-skill-run snapshot (<c>.reyn/agents/&lt;agent&gt;/state/skills/&lt;run_id&gt;.snapshot.json</c>) that
/// crash resume reads. The runtime calls it after each durable run transition; when no store is registered the
/// runtime writes no snapshot (the WAL alone still holds every transition).
/// </summary>
public interface ISkillRunSnapshotStore
{
    /// <summary>Saves the state of an in-flight run (after <c>skill_started</c> and each <c>skill_phase_advanced</c>).</summary>
    ValueTask SaveAsync(SkillRunSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot of a run that ended for good (after <c>skill_completed</c>).</summary>
    ValueTask DeleteAsync(string agent, string runId, CancellationToken cancellationToken = default);
}

/// <summary>What crash resume needs to re-enter a run.</summary>
/// <param name="Agent">The agent that owns the run.</param>
/// <param name="RunId">The run id.</param>
/// <param name="SkillName">The skill name.</param>
/// <param name="SkillVersionHash">The skill's version hash at start.</param>
/// <param name="SkillInput">The run's input artifact (JSON).</param>
/// <param name="CurrentPhase">The phase the run is in (or about to enter).</param>
/// <param name="VisitCounts">Visits per phase so far.</param>
/// <param name="History">The phases entered, in order.</param>
/// <param name="LastPhaseArtifact">The input artifact of <paramref name="CurrentPhase"/> (JSON), when small enough to inline.</param>
/// <param name="LastPhaseArtifactPath">The file holding that artifact when it was stored beside the WAL.</param>
/// <param name="AppliedSeq">The WAL seq of the transition this snapshot reflects (0 without a WAL).</param>
public sealed record SkillRunSnapshot(
    string Agent,
    string RunId,
    string SkillName,
    string SkillVersionHash,
    System.Text.Json.JsonElement? SkillInput,
    string CurrentPhase,
    IReadOnlyDictionary<string, int> VisitCounts,
    IReadOnlyList<string> History,
    System.Text.Json.JsonElement? LastPhaseArtifact,
    string? LastPhaseArtifactPath,
    long AppliedSeq);
