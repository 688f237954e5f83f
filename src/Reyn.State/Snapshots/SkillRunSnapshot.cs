using System.Text.Json;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// The state of one in-flight skill run: skill, input, current phase, visit counts, history, last phase artifact and
/// awaited intervention. Stored at <c>.reyn/agents/&lt;name&gt;/state/skills/&lt;run_id&gt;.snapshot.json</c>.
/// </summary>
public sealed class SkillRunSnapshot
{
    /// <summary>The schema version (<see cref="SnapshotSchema.Version"/>).</summary>
    public int Version { get; set; } = SnapshotSchema.Version;

    /// <summary>The run id.</summary>
    public string RunId { get; set; } = string.Empty;

    /// <summary>The agent running the skill.</summary>
    public string Agent { get; set; } = string.Empty;

    /// <summary>The skill name.</summary>
    public string? Skill { get; set; }

    /// <summary>The skill input as written to the WAL.</summary>
    public JsonElement? Input { get; set; }

    /// <summary>The parent run when this run was started by another skill.</summary>
    public string? ParentRunId { get; set; }

    /// <summary>The highest WAL seq applied.</summary>
    public long AppliedSeq { get; set; }

    /// <summary>The phase the run is in (resume starts here).</summary>
    public string? CurrentPhase { get; set; }

    /// <summary>How many times each phase was entered.</summary>
    public Dictionary<string, int> VisitCounts { get; set; } = [];

    /// <summary>Phases entered, in order.</summary>
    public List<string> History { get; set; } = [];

    /// <summary>The artifact the last completed phase produced (the resumed phase's input).</summary>
    public string? LastPhaseArtifactPath { get; set; }

    /// <summary>The seq of the last phase advance.</summary>
    public long LastPhaseAppliedSeq { get; set; }

    /// <summary>The intervention the run waits on, if any.</summary>
    public string? AwaitingInterventionId { get; set; }

    /// <summary>When the awaited intervention was dispatched (the WAL record's timestamp); <see langword="null"/> when not waiting.</summary>
    public DateTimeOffset? AwaitingSince { get; set; }

    /// <summary>The seq of the last committed step (completed or failed).</summary>
    public long LastCommittedStepSeq { get; set; }

    /// <summary>Applies records in order; returns how many changed the state.</summary>
    public int Apply(IEnumerable<WalRecord> records) => SnapshotReplay.ApplyAll(records, Apply);

    /// <summary>
    /// Applies one record of this run. Idempotent: records at or below <see cref="AppliedSeq"/> and records of other
    /// runs are skipped (they still advance <see cref="AppliedSeq"/>).
    /// </summary>
    public bool Apply(WalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Seq <= AppliedSeq)
        {
            return false;
        }

        AppliedSeq = record.Seq;
        if (record.GetString("run_id") != RunId)
        {
            return false;
        }

        switch (record.Kind)
        {
            case WalKinds.SkillStarted:
                Skill = record.GetString("skill_name") ?? record.GetString("skill") ?? Skill;
                Input = record.GetElement("skill_input") ?? Input;
                ParentRunId = record.GetString("parent_run_id") ?? ParentRunId;
                if (string.IsNullOrEmpty(Agent))
                {
                    Agent = record.GetString("agent") ?? record.GetString("target") ?? Agent;
                }

                return true;
            case WalKinds.SkillPhaseAdvanced:
                {
                    if (record.GetString("next_phase") is not { } next)
                    {
                        return false;
                    }

                    CurrentPhase = next;
                    History.Add(next);
                    VisitCounts[next] = VisitCounts.GetValueOrDefault(next) + 1;
                    LastPhaseArtifactPath = record.GetString("last_phase_artifact_path") ?? LastPhaseArtifactPath;
                    LastPhaseAppliedSeq = record.Seq;
                    return true;
                }

            case WalKinds.InterventionDispatched:
                AwaitingInterventionId = record.GetString("intervention_id");
                AwaitingSince = record.Timestamp;
                return true;
            case WalKinds.InterventionResolved:
                AwaitingInterventionId = null;
                AwaitingSince = null;
                return true;
            case WalKinds.StepCompleted or WalKinds.StepFailed:
                LastCommittedStepSeq = record.Seq;
                return true;
            default:
                return false;
        }
    }
}
