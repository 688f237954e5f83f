using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// Builds a <see cref="ResumePlan"/> from a skill-run snapshot and the run's WAL records. Pure and deterministic: the
/// same inputs always give the same plan, and nothing is read or written.
/// </summary>
public static class SkillResumeAnalyzer
{
    /// <summary>
    /// Analyzes <paramref name="records"/> (any order; records of other runs are ignored). Each
    /// <c>step_completed</c>/<c>step_failed</c> pairs with the oldest unpaired <c>step_started</c> of the same op
    /// invocation; a completion without a start is still committed; starts left unpaired are ambiguous.
    /// </summary>
    public static ResumePlan Analyze(SkillRunSnapshot snapshot, IEnumerable<WalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(records);
        var ordered = new List<WalRecord>();
        foreach (var record in records)
        {
            if (record.GetString("run_id") == snapshot.RunId && record.Kind is WalKinds.StepStarted or WalKinds.StepCompleted or WalKinds.StepFailed)
            {
                ordered.Add(record);
            }
        }

        ordered.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        var openStarts = new Dictionary<string, Queue<WalRecord>>(StringComparer.Ordinal);
        var committed = new List<CommittedStep>();
        long? previousSeq = null;
        foreach (var record in ordered)
        {
            if (record.Seq == previousSeq)
            {
                continue; // the same record passed twice
            }

            previousSeq = record.Seq;
            var op = record.GetString("op_invocation_id") ?? string.Empty;
            if (record.Kind == WalKinds.StepStarted)
            {
                if (!openStarts.TryGetValue(op, out var queue))
                {
                    openStarts[op] = queue = new Queue<WalRecord>();
                }

                queue.Enqueue(record);
                continue;
            }

            long? startedSeq = openStarts.TryGetValue(op, out var starts) && starts.TryDequeue(out var start) ? start.Seq : null;
            var failed = record.Kind == WalKinds.StepFailed;
            committed.Add(new CommittedStep(
                op,
                record.GetString("op_kind"),
                record.GetString("phase"),
                record.GetString("args_hash"),
                record.Seq,
                startedSeq,
                failed ? null : record.GetElement("result"),
                failed ? record.GetString("error_kind") ?? "error" : null,
                failed ? record.GetString("message") ?? record.GetString("error_message") : null,
                record.GetElement("usage")));
        }

        var ambiguous = new List<AmbiguousStep>();
        foreach (var queue in openStarts.Values)
        {
            foreach (var start in queue)
            {
                ambiguous.Add(new AmbiguousStep(
                    start.GetString("op_invocation_id") ?? string.Empty,
                    start.GetString("op_kind"),
                    start.GetString("phase"),
                    start.GetString("args_hash"),
                    start.Seq,
                    start.GetElement("args")));
            }
        }

        ambiguous.Sort(static (a, b) => a.StartedSeq.CompareTo(b.StartedSeq));
        return new ResumePlan
        {
            RunId = snapshot.RunId,
            Skill = snapshot.Skill,
            Input = snapshot.Input,
            CurrentPhase = snapshot.CurrentPhase,
            LastPhaseArtifactPath = snapshot.LastPhaseArtifactPath,
            AwaitingInterventionId = snapshot.AwaitingInterventionId,
            PhasesVisited = [.. snapshot.History],
            VisitCounts = new Dictionary<string, int>(snapshot.VisitCounts, StringComparer.Ordinal),
            CommittedSteps = committed,
            AmbiguousSteps = ambiguous,
        };
    }
}
