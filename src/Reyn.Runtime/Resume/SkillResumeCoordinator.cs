using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.Runtime.Internal;
using Reyn.Runtime.Interventions.Internal;
using Reyn.Runtime.Resume.Internal;
using Reyn.State;

namespace Reyn.Runtime;

/// <summary>
/// Crash resume: finds the in-flight skill runs on disk (snapshots plus the WAL replayed forward), decides per run
/// (<see cref="Decide"/>: no ambiguous step → resume; otherwise the <c>skill_resume</c> policy) and re-enters each
/// run's current phase with its visit counts, its last phase artifact and a memo of the phase's committed steps.
/// Run by <see cref="ReynRuntime.RestoreAsync"/>.
/// </summary>
public sealed class SkillResumeCoordinator
{
    private readonly ReynOptions _options;
    private readonly EventLog _events;
    private readonly IStateLog? _wal;
    private readonly FileSnapshotStore? _snapshots;
    private readonly SkillRegistry _skills;
    private readonly SkillRunner _runner;
    private readonly InterventionBroker _interventions;
    private readonly ILogger _logger;

    internal SkillResumeCoordinator(ReynOptions options, EventLog events, IStateLog? wal, FileSnapshotStore? snapshots, SkillRegistry skills, SkillRunner runner, InterventionBroker interventions, ILogger logger)
    {
        _interventions = interventions;
        _options = options;
        _events = events;
        _wal = wal;
        _snapshots = snapshots;
        _skills = skills;
        _runner = runner;
        _logger = logger;
    }

    /// <summary>
    /// The decision for a run: no ambiguous step → <see cref="ResumeActions.Resume"/>; otherwise the policy:
    /// <c>retry</c> (and the legacy <c>prompt</c>) → <see cref="ResumeActions.Retry"/>, <c>skip</c> →
    /// <see cref="ResumeActions.Skip"/>, <c>discard_skill</c> → <see cref="ResumeActions.DiscardSkill"/>. An unknown
    /// policy is reported in <see cref="ResumeDecision.Warning"/> and falls back to retry.
    /// </summary>
    /// <param name="plan">The run's plan; only its <see cref="ResumePlan.AmbiguousSteps"/> matter here.</param>
    /// <param name="policy">The configured policy of the run's skill (<see cref="SkillResumeOptions.PolicyFor"/>).</param>
    public static ResumeDecision Decide(ResumePlan plan, string? policy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        policy ??= "retry";
        if (!plan.HasAmbiguity)
        {
            return new ResumeDecision(ResumeActions.Resume, policy, []);
        }

        return policy switch
        {
            "retry" => new ResumeDecision(ResumeActions.Retry, policy, plan.AmbiguousSteps),
            "skip" => new ResumeDecision(ResumeActions.Skip, policy, plan.AmbiguousSteps),
            "discard_skill" => new ResumeDecision(ResumeActions.DiscardSkill, policy, plan.AmbiguousSteps),
            "prompt" => new ResumeDecision(ResumeActions.Retry, policy, plan.AmbiguousSteps, "skill_resume policy 'prompt' is legacy (no one to ask at start-up); it behaves as 'retry'."),
            _ => new ResumeDecision(ResumeActions.Retry, policy, plan.AmbiguousSteps, $"Unknown skill_resume policy '{policy}' (allowed: {string.Join(", ", SkillResumeOptions.Policies)}); using 'retry'."),
        };
    }

    /// <summary>
    /// The steps of <paramref name="plan"/> that belong to the in-flight phase visit (after the last phase advance,
    /// <paramref name="visitStartSeq"/>): committed ones, and ambiguous ones that no later record of the same step
    /// completed (a retried step writes a second start; its completion settles both).
    /// </summary>
    internal static (List<CommittedStep> Committed, List<AmbiguousStep> Ambiguous) InFlightVisit(ResumePlan plan, long visitStartSeq)
    {
        var committed = new List<CommittedStep>();
        foreach (var step in plan.CommittedSteps)
        {
            if (step.Seq > visitStartSeq)
            {
                committed.Add(step);
            }
        }

        var ambiguous = new List<AmbiguousStep>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in plan.AmbiguousSteps)
        {
            if (step.StartedSeq <= visitStartSeq || !seen.Add(step.OpInvocationId))
            {
                continue;
            }

            var settled = false;
            foreach (var done in committed)
            {
                if (done.OpInvocationId == step.OpInvocationId && done.Seq > step.StartedSeq)
                {
                    settled = true;
                    break;
                }
            }

            if (!settled)
            {
                ambiguous.Add(step);
            }
        }

        return (committed, ambiguous);
    }

    internal async Task<RestoreResult> RestoreAsync(RestoreOptions options, CancellationToken cancellationToken)
    {
        if (options.NoRestore || _wal is null || _snapshots is null)
        {
            return new RestoreResult { Skipped = true };
        }

        var agent = _options.Agent;

        // 1. Snapshots as they are on disk (a snapshot of another schema version stops here with Reyn.State's message).
        // The agent snapshot is loaded for its schema check only: the intervention broker keeps it (saved with a high
        // applied seq), so it must not narrow the replay below, or a run whose snapshot was never saved would be missed.
        _ = await _snapshots.LoadAgentAsync(agent, EmptyStateLog.Instance, cancellationToken: cancellationToken).ConfigureAwait(false);
        var runs = new Dictionary<string, SkillRunSnapshot>(StringComparer.Ordinal);
        var lowest = long.MaxValue;
        foreach (var runId in _snapshots.ListSkillRuns(agent))
        {
            var loaded = await _snapshots.LoadSkillRunAsync(agent, runId, EmptyStateLog.Instance, cancellationToken).ConfigureAwait(false);
            runs[runId] = loaded.Snapshot;
            lowest = Math.Min(lowest, loaded.Snapshot.AppliedSeq);
        }

        // 2. The WAL forward from the lowest applied seq, once, bucketed per run.
        var fromSeq = lowest == long.MaxValue ? 1 : lowest + 1;
        var records = new Dictionary<string, List<WalRecord>>(StringComparer.Ordinal);
        var ended = new HashSet<string>(StringComparer.Ordinal);
        long replayedTo = 0;
        await foreach (var record in _wal.ReadFromAsync(fromSeq, cancellationToken).ConfigureAwait(false))
        {
            replayedTo = record.Seq;
            if (record.GetString("run_id") is not { } runId)
            {
                continue;
            }

            switch (record.Kind)
            {
                case WalKinds.SkillStarted when record.GetString("agent") is { } owner && owner != agent:
                    continue;
                case WalKinds.SkillStarted when !runs.ContainsKey(runId):
                    runs[runId] = new SkillRunSnapshot { RunId = runId, Agent = agent }; // started, snapshot never saved
                    break;
                case WalKinds.SkillCompleted or WalKinds.SkillDiscarded:
                    ended.Add(runId);
                    break;
            }

            if (!records.TryGetValue(runId, out var list))
            {
                records[runId] = list = [];
            }

            list.Add(record);
        }

        // 3. Per run: plan, decision, action.
        var cleaned = new List<string>();
        var outcomes = new List<ResumedRun>();
        foreach (var (runId, snapshot) in runs.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (ended.Contains(runId))
            {
                _snapshots.DeleteSkillRun(agent, runId); // the end was durable; only the snapshot delete was lost
                _runner.Truncation?.Remove(runId);
                cleaned.Add(runId);
                continue;
            }

            var own = records.TryGetValue(runId, out var list) ? list : [];
            snapshot.Apply(own);
            var plan = SkillResumeAnalyzer.Analyze(snapshot, own);
            outcomes.Add(await ResumeRunAsync(snapshot, plan, own, options, cancellationToken).ConfigureAwait(false));
        }

        return new RestoreResult { ReplayedToSeq = replayedTo, Runs = outcomes, Cleaned = cleaned };
    }

    private async Task<ResumedRun> ResumeRunAsync(SkillRunSnapshot snapshot, ResumePlan plan, List<WalRecord> records, RestoreOptions options, CancellationToken cancellationToken)
    {
        var runId = snapshot.RunId;
        var (committed, ambiguous) = InFlightVisit(plan, snapshot.LastPhaseAppliedSeq);
        var skillName = snapshot.Skill;
        var policy = skillName is null ? _options.SkillResume.Default : _options.SkillResume.PolicyFor(skillName);
        var decision = options.ResetInFlightState
            ? new ResumeDecision(ResumeActions.DiscardSkill, "reset", ambiguous)
            : Decide(plan with { AmbiguousSteps = ambiguous }, policy);
        var events = _events.WithContext(_events.Context with { RunId = runId, Skill = skillName ?? "unknown", Phase = snapshot.CurrentPhase });
        if (decision.Warning is not null)
        {
            _logger.LogWarning("Resume of run {RunId}: {Warning}", runId, decision.Warning);
        }

        SkillDefinition? skill = null;
        if (decision.Action != ResumeActions.DiscardSkill && (skillName is null || !_skills.TryGet(skillName, out skill)))
        {
            _logger.LogWarning(
                "Run {RunId} of skill '{Skill}' is in flight but the skill is not registered; it is left on disk. Register the skill and restart, or run 'reyn state reset --yes' to drop it.",
                runId,
                skillName);
            return new ResumedRun { RunId = runId, Skill = skillName, Phase = snapshot.CurrentPhase, Decision = decision with { Action = ResumeActions.UnknownSkill }, CommittedSteps = committed.Count };
        }

        if (decision.Action == ResumeActions.DiscardSkill)
        {
            await DiscardAsync(snapshot, decision, events, cancellationToken).ConfigureAwait(false);
            return new ResumedRun { RunId = runId, Skill = skillName, Phase = snapshot.CurrentPhase, Decision = decision, CommittedSteps = committed.Count };
        }

        var memo = new WalStepMemo();
        foreach (var step in committed)
        {
            memo.Add(step);
        }

        if (decision.Action == ResumeActions.Skip)
        {
            foreach (var step in ambiguous)
            {
                // The decision is made durable: the next restart pairs this completion with the ambiguous start.
                var fields = new EventData(10)
                {
                    ["agent"] = snapshot.Agent,
                    ["run_id"] = runId,
                    ["phase"] = step.Phase,
                    ["op_invocation_id"] = step.OpInvocationId,
                    ["op_kind"] = step.OpKind,
                    ["args_hash"] = step.ArgsHash,
                    ["result"] = WalStepMemo.Skipped,
                    ["skipped"] = true,
                };
                await _wal!.AppendAsync(WalKinds.StepCompleted, fields, cancellationToken).ConfigureAwait(false);
                memo.AddSkipped(step);
            }
        }

        var entry = skill!.EntryPhase;
        var phase = snapshot.CurrentPhase ?? entry;
        var entered = new List<string>(snapshot.History.Count + 1) { entry };
        entered.AddRange(snapshot.History);
        var visits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in entered)
        {
            visits[name] = visits.GetValueOrDefault(name) + 1;
        }

        var start = new ResumeStart
        {
            RunId = runId,
            Phase = phase,
            Input = LoadInput(snapshot),
            VisitCounts = visits,
            History = entered.GetRange(0, entered.Count - 1),
            Memo = memo,
            Interventions = InterventionMemo.From(records, snapshot.LastPhaseAppliedSeq),
            Snapshot = snapshot,
            Action = decision.Action,
        };

        events.Emit(EventTypes.SkillRunResumed, new EventData(8)
        {
            ["action"] = decision.Action,
            ["policy"] = decision.Policy,
            ["resume_phase"] = phase,
            ["committed_steps"] = committed.Count,
            ["ambiguous_steps"] = ambiguous.Count,
            ["warning"] = decision.Warning,
        });

        // The run goes on until it ends or waits for a person; a waiting run does not hold restore (or start-up) back.
        var waiting = _interventions.WatchRun(runId);
        var completion = _runner.RunAsync(skill, null, null, cancellationToken, start);
        string? awaiting = null;
        try
        {
            if (await Task.WhenAny(completion, waiting).ConfigureAwait(false) == waiting)
            {
                awaiting = await waiting.ConfigureAwait(false);
            }
        }
        finally
        {
            _interventions.Unwatch(runId);
        }

        return new ResumedRun
        {
            RunId = runId,
            Skill = skillName,
            Phase = phase,
            Decision = decision,
            CommittedSteps = committed.Count,
            MemoizedSteps = memo.Served,
            Result = awaiting is null ? await completion.ConfigureAwait(false) : null,
            AwaitingInterventionId = awaiting,
            Completion = completion,
        };
    }

    private static PhaseArtifact LoadInput(SkillRunSnapshot snapshot)
    {
        if (snapshot.LastPhaseArtifactPath is not { } path)
        {
            return snapshot.Input is { } input ? PhaseArtifact.From(input) : PhaseArtifact.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Null ? PhaseArtifact.Empty : PhaseArtifact.From(document.RootElement.Clone());
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Run {snapshot.RunId} cannot resume phase '{snapshot.CurrentPhase}': its input artifact '{path}' is unreadable ({ex.Message}). Restore the file, or drop the run with RestoreOptions.ResetInFlightState / 'reyn state reset --yes'.",
                ex);
        }
    }

    private async Task DiscardAsync(SkillRunSnapshot snapshot, ResumeDecision decision, EventLog events, CancellationToken cancellationToken)
    {
        var fields = new EventData(6)
        {
            ["agent"] = snapshot.Agent,
            ["run_id"] = snapshot.RunId,
            ["skill"] = snapshot.Skill,
            ["phase"] = snapshot.CurrentPhase,
            ["reason"] = decision.Policy,
            ["ambiguous_steps"] = decision.AmbiguousSteps.Count,
        };
        // skill_discarded drops the run's interventions and buffered answer from the agent snapshot (saved before the
        // run's files go, so a replay after a crash gives the same state).
        var dropped = await _interventions.DiscardRunAsync(fields, cancellationToken).ConfigureAwait(false);
        _snapshots!.DeleteSkillRun(snapshot.Agent, snapshot.RunId);
        var skills = _snapshots.Paths.SkillRuns(snapshot.Agent);
        foreach (var folder in new[] { snapshot.RunId + "_artifacts", snapshot.RunId + "_llm_results" })
        {
            var directory = Path.Combine(skills, folder);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        _runner.Truncation?.Remove(snapshot.RunId);
        events.Emit(EventTypes.SkillRunDiscarded, new EventData(4)
        {
            ["reason"] = decision.Policy,
            ["ambiguous_steps"] = decision.AmbiguousSteps.Count,
            ["dropped_interventions"] = dropped,
        });
    }
}
