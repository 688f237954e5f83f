using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.Events.Internal;
using Reyn.Runtime.Resume.Internal;
using Reyn.State;

namespace Reyn.Runtime.Internal;

/// <summary>Runs a skill through its phases: loop valve, budgets, events, WAL transitions.</summary>
internal sealed partial class SkillRunner
{
    private readonly ReynOptions _options;
    private readonly EventLog _rootLog;
    private readonly IStateLog? _wal;
    private readonly OpRegistry _ops;
    private readonly IChatClient? _chatClient;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly FileSnapshotStore? _snapshots;

    public SkillRunner(ReynOptions options, EventLog rootLog, IStateLog? wal, OpRegistry ops, IChatClient? chatClient, TimeProvider time, IServiceProvider services, ILogger logger, FileSnapshotStore? snapshots)
    {
        _options = options;
        _rootLog = rootLog;
        _wal = wal;
        _ops = ops;
        _chatClient = chatClient;
        _time = time;
        _services = services;
        _logger = logger;
        _snapshots = snapshots;
    }

    /// <summary>Tracks live runs' watermarks and truncates the WAL below the floor (crash resume).</summary>
    public WalTruncationPolicy? Truncation { get; init; }

    /// <summary>Questions from phases to a person.</summary>
    public Interventions.Internal.InterventionBroker? Interventions { get; init; }

    public static string StatusName(SkillRunStatus status) => status switch
    {
        SkillRunStatus.Succeeded => "success",
        SkillRunStatus.Failed => "failed",
        SkillRunStatus.Aborted => "aborted",
        SkillRunStatus.LoopLimitExceeded => "loop_limit",
        SkillRunStatus.BudgetExceeded => "budget_exceeded",
        _ => "cancelled",
    };

    public string NewRunId(string skill)
    {
        var safe = UnsafeChars().Replace(skill, "_").Trim('_');
        safe = safe.Length == 0 ? "skill" : safe[..Math.Min(40, safe.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyyMMdd'T'HHmmssffffff}Z_{safe}_{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2))}");
    }

    public async Task<SkillRunResult> RunAsync(SkillDefinition skill, object? input, SkillRunOptions? runOptions, CancellationToken cancellationToken, ResumeStart? resume = null)
    {
        ArgumentNullException.ThrowIfNull(skill);
        var runId = resume?.RunId ?? runOptions?.RunId ?? NewRunId(skill.Name);
        var started = _time.GetTimestamp();
        var events = _rootLog.WithContext(_rootLog.Context with
        {
            RunId = runId,
            Skill = skill.Name,
            Phase = null,
            SessionId = runOptions?.SessionId ?? _rootLog.Context.SessionId,
            ChainId = runOptions?.ChainId ?? _rootLog.Context.ChainId,
        });
        var workspace = new Workspace(runOptions?.Workspace ?? _options.ResolveWorkspace());
        RequiredDirectory.Create(workspace.Root, "workspace", "Set ReynOptions.WorkspaceDirectory (or RootDirectory), or SkillRunOptions.Workspace, to a directory this process can write.");
        var run = new RunState
        {
            RunId = runId,
            Skill = skill,
            Agent = _options.Agent,
            Events = events,
            Wal = _wal,
            Workspace = workspace,
            Permissions = new PermissionChecker(skill.Name, skill.Permissions, _options.Permissions),
            Ops = _ops,
            ChatClient = _chatClient,
            Options = _options,
            Time = _time,
            Services = _services,
            Logger = _logger,
            AgentStateDirectory = _options.ResolveAgentStateDirectory(),
            Memo = resume?.Memo,
            Interventions = Interventions,
            InterventionMemo = resume?.Interventions,
        };

        // A resumed run re-enters its in-flight phase with the visit counts and history it had (fast-forward).
        var artifact = resume?.Input ?? PhaseArtifact.From(input);
        var visits = resume is null ? new Dictionary<string, int>(StringComparer.Ordinal) : new Dictionary<string, int>(resume.VisitCounts, StringComparer.Ordinal);
        var history = resume is null ? new List<string>() : new List<string>(resume.History);
        var reentering = resume is not null;
        var status = SkillRunStatus.Failed;
        string? error = null;
        var reason = "error";
        var phase = resume?.Phase ?? skill.EntryPhase;
        var output = PhaseArtifact.Empty;
        var completeInWal = false;

        events.Emit(EventTypes.RunSkillStarted, new EventData(8)
        {
            ["skill_version_hash"] = skill.VersionHash,
            ["skill_source"] = skill.Source,
            ["state_dir"] = Path.GetFullPath(_options.RootDirectory),
            ["workspace"] = workspace.Root,
            ["input_type"] = artifact.Json?.ValueKind.ToString().ToLowerInvariant() ?? "none",
            ["resumed"] = resume is not null,
        });

        try
        {
            SkillRunSnapshot snapshot;
            long seq;
            if (resume is not null)
            {
                snapshot = resume.Snapshot;
                run.Snapshot = _snapshots is null ? null : snapshot;
                var resumedFields = new EventData(6) { ["agent"] = run.Agent, ["run_id"] = runId, ["phase"] = phase, ["action"] = resume.Action };
                seq = await StepWriter.AppendAsync(run, WalKinds.SkillResumed, resumedFields, "the resume", cancellationToken).ConfigureAwait(false);
                Truncation?.Update(runId, snapshot.AppliedSeq);
                events.Emit(EventTypes.SkillResumed, new EventData(6)
                {
                    ["resume_phase"] = phase,
                    ["visit_count"] = visits.GetValueOrDefault(phase),
                    ["action"] = resume.Action,
                    ["memoizable_steps"] = resume.Memo.Count,
                });
            }
            else
            {
                var startedFields = new EventData(8)
                {
                    ["agent"] = run.Agent,
                    ["run_id"] = runId,
                    ["skill_name"] = skill.Name,
                    ["skill_version_hash"] = skill.VersionHash,
                    ["entry_phase"] = skill.EntryPhase,
                    ["skill_input"] = artifact.Json,
                };
                seq = await StepWriter.AppendAsync(run, WalKinds.SkillStarted, startedFields, "the run start", cancellationToken).ConfigureAwait(false);
                snapshot = new SkillRunSnapshot { RunId = runId, Agent = run.Agent };
                await SaveSnapshotAsync(run, snapshot, WalKinds.SkillStarted, startedFields, seq, cancellationToken).ConfigureAwait(false);
                run.Snapshot = _snapshots is null || seq == 0 ? null : snapshot;

                events.Emit(EventTypes.WorkflowStarted, new EventData(4)
                {
                    ["entry_phase"] = skill.EntryPhase,
                    ["input_type"] = artifact.Json?.ValueKind.ToString().ToLowerInvariant() ?? "none",
                    ["default_model"] = _options.DefaultModel,
                });
            }

            while (true)
            {
                var definition = skill.TryGetPhase(phase, out var found) ? found : throw new InvalidOperationException($"Skill '{skill.Name}' has no phase '{phase}'.");
                visits.TryGetValue(phase, out var count);
                if (reentering)
                {
                    reentering = false; // the in-flight visit continues: it is not counted again
                    count = Math.Max(count, 1);
                }
                else
                {
                    count++;
                }

                visits[phase] = count;
                var maxVisits = definition.MaxVisits ?? _options.Loop.MaxVisits;
                run.EnterPhase(phase, count, definition.Budget ?? new PhaseBudget());
                if (count > maxVisits)
                {
                    events.Emit(EventTypes.LoopLimitExceeded, new EventData(4) { ["visit_count"] = count, ["max"] = maxVisits });
                    status = SkillRunStatus.LoopLimitExceeded;
                    reason = "loop_limit";
                    error = $"Phase '{phase}' was entered {count} times; its limit is {maxVisits}. Raise maxVisits on the phase or loop.max_visits in reyn.yaml if the loop is intended.";
                    completeInWal = true;
                    break;
                }

                history.Add(phase);
                events.Emit(EventTypes.PhaseStarted, new EventData(3) { ["visit_count"] = count });
                var result = await RunPhaseAsync(run, definition, artifact, cancellationToken).ConfigureAwait(false);
                if (result.Budget is { } budget)
                {
                    events.Emit(EventTypes.PhaseBudgetExceeded, new EventData(5) { ["budget_kind"] = budget.Budget, ["elapsed"] = budget.Used, ["budget"] = budget.Limit });
                    status = SkillRunStatus.BudgetExceeded;
                    reason = "budget";
                    error = budget.Message;
                    completeInWal = true;
                    break;
                }

                var decision = result.Decision!;
                if (decision.Decision == PhaseDecision.Next && !skill.TryGetPhase(decision.NextPhase!, out _))
                {
                    error = $"Phase '{phase}' returned Next(\"{decision.NextPhase}\"), but skill '{skill.Name}' has no such phase (phases: {string.Join(", ", skill.Phases.Select(p => p.Name))}).";
                    events.Emit(EventTypes.PhaseFailed, new EventData(3) { ["error"] = error, ["error_kind"] = "unknown_phase" });
                    status = SkillRunStatus.Failed;
                    reason = "error";
                    completeInWal = true;
                    break;
                }

                var nextArtifact = PhaseArtifact.From(decision.Artifact);
                events.Emit(EventTypes.PhaseCompleted, new EventData(4)
                {
                    ["next_phase"] = decision.NextPhase,
                    ["decision"] = decision.Decision.ToString().ToLowerInvariant(),
                    ["visit_count"] = count,
                });

                if (decision.Decision == PhaseDecision.Finish)
                {
                    status = SkillRunStatus.Succeeded;
                    reason = "finish";
                    output = nextArtifact;
                    completeInWal = true;
                    break;
                }

                if (decision.Decision == PhaseDecision.Abort)
                {
                    status = SkillRunStatus.Aborted;
                    reason = "aborted";
                    error = decision.Reason;
                    completeInWal = true;
                    break;
                }

                var advanced = new EventData(8)
                {
                    ["agent"] = run.Agent,
                    ["run_id"] = runId,
                    ["phase"] = phase,
                    ["next_phase"] = decision.NextPhase,
                    ["visit_counts"] = JsonSerializer.SerializeToElement(visits),
                };
                await StoreArtifactAsync(run, advanced, nextArtifact, history.Count, decision.NextPhase!, cancellationToken).ConfigureAwait(false);
                seq = await StepWriter.AppendAsync(run, WalKinds.SkillPhaseAdvanced, advanced, $"the move to phase {decision.NextPhase}", cancellationToken).ConfigureAwait(false);
                artifact = nextArtifact;
                phase = decision.NextPhase!;
                await SaveSnapshotAsync(run, snapshot, WalKinds.SkillPhaseAdvanced, advanced, seq, cancellationToken).ConfigureAwait(false);
                if (Truncation is { } truncation)
                {
                    await truncation.MaybeTruncateAsync(_wal, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = SkillRunStatus.Cancelled;
            reason = "cancelled";
            error = "The run was cancelled.";
            events.Emit(EventTypes.PhaseFailed, new EventData(3) { ["error"] = error, ["error_kind"] = "cancelled" });
            events.Emit(EventTypes.SkillRunInterrupted, new EventData(3) { ["exc_type"] = "OperationCanceledException", ["will_resume"] = true });
        }
        catch (DurableStepException ex)
        {
            status = SkillRunStatus.Failed;
            reason = "wal_failure";
            error = ex.Message;
            _logger.LogError(ex, "Run {RunId} stopped: its durable state (WAL record or snapshot) could not be written", runId);
            events.Emit(EventTypes.PhaseFailed, new EventData(3) { ["error"] = ex.Message, ["error_kind"] = "wal_failure" });
            events.Emit(EventTypes.SkillRunInterrupted, new EventData(3) { ["exc_type"] = nameof(DurableStepException), ["will_resume"] = true });
        }
        catch (PhaseFailedException ex)
        {
            status = SkillRunStatus.Failed;
            reason = "error";
            error = ex.Message;
            events.Emit(EventTypes.SkillRunInterrupted, new EventData(3) { ["exc_type"] = ex.InnerException?.GetType().Name, ["will_resume"] = true });
        }

        if (completeInWal)
        {
            try
            {
                var fields = new EventData(4) { ["agent"] = run.Agent, ["run_id"] = runId, ["status"] = StatusName(status) };
                await StepWriter.AppendAsync(run, WalKinds.SkillCompleted, fields, "the run end", CancellationToken.None).ConfigureAwait(false);
                if (_snapshots is not null)
                {
                    _snapshots.DeleteSkillRun(run.Agent, runId);
                }

                if (Truncation is { } truncation)
                {
                    truncation.Remove(runId);
                    await truncation.MaybeTruncateAsync(_wal, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (DurableStepException ex)
            {
                _logger.LogError(ex, "Run {RunId}: the WAL could not record its end", runId);
                error = (error is null ? string.Empty : error + " ") + ex.Message;
                reason = "wal_failure";
                status = status == SkillRunStatus.Succeeded ? SkillRunStatus.Failed : status;
            }
        }

        var duration = _time.GetElapsedTime(started);
        events.Context = events.Context with { Phase = phase };
        events.Emit(EventTypes.WorkflowFinished, new EventData(6)
        {
            ["reason"] = reason,
            ["status"] = StatusName(status),
            ["total_phase_count"] = history.Count,
            ["error"] = error,
        });
        events.Context = events.Context with { Phase = null };
        events.Emit(EventTypes.RunSkillCompleted, new EventData(12)
        {
            ["status"] = StatusName(status),
            ["duration_ms"] = (long)duration.TotalMilliseconds,
            ["prompt_tokens"] = run.PromptTokens,
            ["completion_tokens"] = run.CompletionTokens,
            ["cached_tokens"] = run.CachedTokens,
            ["cost_usd"] = run.CostUsd,
            ["llm_calls"] = run.LlmCalls,
            ["op_calls"] = run.OpCalls,
            ["phases"] = string.Join(" → ", history),
            ["skill_version_hash"] = skill.VersionHash,
            ["error"] = error,
        });

        try
        {
            await _rootLog.Pipeline.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Flushing events after run {RunId} failed", runId);
        }

        var runResult = new SkillRunResult
        {
            RunId = runId,
            Skill = skill.Name,
            SkillVersionHash = skill.VersionHash,
            Status = status,
            Output = output,
            Error = error,
            Phases = history,
            Duration = duration,
            PromptTokens = run.PromptTokens,
            CompletionTokens = run.CompletionTokens,
            CachedTokens = run.CachedTokens,
            CostUsd = run.CostUsd,
            LlmCalls = run.LlmCalls,
            OpCalls = run.OpCalls,
        };
        if (status == SkillRunStatus.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return runResult;
    }

    private async Task<PhaseOutcome> RunPhaseAsync(RunState run, PhaseDefinition definition, PhaseArtifact input, CancellationToken cancellationToken)
    {
        var timeout = run.PhaseBudget.MaxDuration ?? _options.Budget.PhaseTimeout;
        using var phaseCts = timeout is { } t
            ? new CancellationTokenSource(t, _time)
            : null;
        using var linked = phaseCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, phaseCts.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            var result = await definition.Handler(new PhaseContext(run, input, token)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Phase '{definition.Name}' returned null; return PhaseResult.Next(...), Finish(...) or Abort(...).");
            if (timeout is { } limit && run.PhaseElapsed > limit)
            {
                return new PhaseOutcome(null, new PhaseBudgetExceededException("max_duration", FormatSeconds(run.PhaseElapsed), FormatSeconds(limit)));
            }

            return new PhaseOutcome(result, null);
        }
        catch (PhaseBudgetExceededException ex)
        {
            return new PhaseOutcome(null, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && phaseCts?.IsCancellationRequested == true)
        {
            return new PhaseOutcome(null, new PhaseBudgetExceededException("max_duration", FormatSeconds(run.PhaseElapsed), FormatSeconds(timeout!.Value)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DurableStepException)
        {
            var message = $"{ex.GetType().Name}: {ex.Message}";
            run.Events.Emit(EventTypes.PhaseFailed, new EventData(3) { ["error"] = message, ["error_kind"] = "exception" });
            throw new PhaseFailedException(message, ex);
        }
    }

    /// <summary>
    /// Stores the artifact handed to the next phase in <c>&lt;agent state&gt;/skills/&lt;run_id&gt;_artifacts/</c> (synced)
    /// and records its path as <c>last_phase_artifact_path</c>, so that a resumed run can reload its input.
    /// </summary>
    private static async Task StoreArtifactAsync(RunState run, EventData fields, PhaseArtifact artifact, int index, string nextPhase, CancellationToken cancellationToken)
    {
        if (run.Wal is null)
        {
            return;
        }

        var path = Path.Combine(run.AgentStateDirectory, "skills", run.RunId + "_artifacts", string.Create(CultureInfo.InvariantCulture, $"{index:D3}_{nextPhase}.json"));
        try
        {
            await StepWriter.WriteAtomicAsync(path, artifact.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DurableStepException($"The artifact for phase {nextPhase} of run {run.RunId} could not be stored at {path}: {ex.Message}", ex);
        }

        fields["last_phase_artifact_path"] = path;
    }

    /// <summary>Applies the record just made durable to the run's snapshot and saves it (Reyn.State's per-skill-run snapshot).</summary>
    private async Task SaveSnapshotAsync(RunState run, SkillRunSnapshot snapshot, string kind, EventData fields, long seq, CancellationToken cancellationToken)
    {
        if (_snapshots is null || seq == 0)
        {
            return;
        }

        try
        {
            var json = JsonSerializer.SerializeToElement(fields.ToDictionary(f => f.Key, f => f.Value));
            snapshot.Apply(new WalRecord(seq, _time.GetUtcNow(), kind, json));
            if (kind == WalKinds.SkillStarted)
            {
                snapshot.CurrentPhase ??= run.Skill.EntryPhase;
            }

            await _snapshots.SaveSkillRunAsync(snapshot, cancellationToken).ConfigureAwait(false);
            Truncation?.Update(run.RunId, snapshot.AppliedSeq);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DurableStepException($"The snapshot of run {run.RunId} could not be saved: {ex.Message}", ex);
        }
    }

    private static string FormatSeconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    [GeneratedRegex("[^A-Za-z0-9_\\-]+")]
    private static partial Regex UnsafeChars();

    private sealed record PhaseOutcome(PhaseResult? Decision, PhaseBudgetExceededException? Budget);
}

/// <summary>A phase threw; <c>phase_failed</c> was emitted.</summary>
internal sealed class PhaseFailedException(string message, Exception inner) : Exception(message, inner);
