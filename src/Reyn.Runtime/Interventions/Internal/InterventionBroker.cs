using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.Runtime.Internal;
using Reyn.Runtime.Resume.Internal;
using Reyn.State;

namespace Reyn.Runtime.Interventions.Internal;

/// <summary>
/// Questions from phases to a person. Every change is a WAL record first (<c>intervention_dispatched</c>,
/// <c>intervention_resolved</c>, <c>intervention_answer_buffered</c>, <c>intervention_answer_consumed</c>,
/// <c>skill_discarded</c>), then the agent snapshot (outstanding interventions, buffered answers) is caught up from
/// the WAL and saved, so replaying the WAL after a crash gives the same state. Waiting runs are marked in the WAL
/// truncation policy so that a long wait does not hold the truncation floor back.
/// </summary>
internal sealed class InterventionBroker
{
    private const string StepKind = "ask_human";

    private readonly string _agent;
    private readonly IStateLog? _wal;
    private readonly FileSnapshotStore? _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<string>> _watches = new(StringComparer.Ordinal);
    private AgentSnapshot? _state;

    public InterventionBroker(string agent, IStateLog? wal, FileSnapshotStore? snapshots, TimeProvider time, ILogger logger)
    {
        _agent = agent;
        _wal = wal;
        _snapshots = snapshots;
        _time = time;
        _logger = logger;
    }

    public WalTruncationPolicy? Truncation { get; init; }

    /// <summary>Asks a person; completes with the answer. See <see cref="PhaseContext.AskHumanAsync"/>.</summary>
    public async Task<InterventionAnswer> AskAsync(RunState run, string question, IReadOnlyList<string>? choices, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var choiceList = NormalizeChoices(choices);
        var stepId = run.NextStepId(StepKind);
        var waiter = new Waiter(run);
        string id;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await StateAsync(cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
            DateTimeOffset since;
            if (run.InterventionMemo is { } memo && memo.TryGet(stepId, out var recorded))
            {
                if (recorded.Answer is { } answered)
                {
                    return answered; // answered before the crash: the durable resolution is the answer
                }

                id = recorded.InterventionId;
                since = recorded.DispatchedAt;
                if (state.BufferedAnswers.TryGetValue(run.RunId, out var buffered) && (buffered.InterventionId is null || buffered.InterventionId == id))
                {
                    return await ConsumeBufferedAsync(run, id, buffered, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                id = "iv_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
                since = _time.GetUtcNow();
                var fields = new EventData(10)
                {
                    ["agent"] = run.Agent,
                    ["run_id"] = run.RunId,
                    ["skill"] = run.Skill.Name,
                    ["phase"] = run.Phase,
                    ["intervention_id"] = id,
                    ["op_invocation_id"] = stepId,
                    ["question"] = question,
                    ["choices"] = choiceList,
                    ["dispatched_at"] = since.ToString("O", CultureInfo.InvariantCulture),
                };
                await RecordAsync(run, WalKinds.InterventionDispatched, fields, cancellationToken).ConfigureAwait(false);
                await SaveRunSnapshotAsync(run, id, since, cancellationToken).ConfigureAwait(false);
                run.Events.Emit(EventTypes.UserInterventionRequested, new EventData(4)
                {
                    ["intervention_id"] = id,
                    ["question"] = question,
                    ["choices"] = choiceList,
                });
            }

            lock (_sync)
            {
                _waiters[id] = waiter;
                if (_watches.Remove(run.RunId, out var watch))
                {
                    watch.TrySetResult(id);
                }
            }

            Truncation?.SetWaiting(run.RunId, since);
        }
        finally
        {
            _gate.Release();
        }

        try
        {
            return await waiter.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                if (_waiters.TryGetValue(id, out var current) && ReferenceEquals(current, waiter))
                {
                    _waiters.Remove(id); // cancelled: the intervention stays outstanding; a later answer is buffered
                }
            }
        }
    }

    /// <summary>Delivers an answer to the waiting run, or buffers it durably when no run waits in this process.</summary>
    public async Task<InterventionDelivery> ResolveAsync(string interventionId, string? text, string? choiceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interventionId);
        if (text is null && choiceId is null)
        {
            throw new ArgumentException($"The answer to intervention '{interventionId}' is empty: pass the answer text, a choice id, or both.", nameof(text));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await StateAsync(cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
            if (!state.OutstandingInterventions.TryGetValue(interventionId, out var intervention))
            {
                var open = state.OutstandingInterventions.Keys.Order(StringComparer.Ordinal).ToList();
                throw new InterventionNotFoundException(
                    $"No outstanding intervention '{interventionId}' for agent '{_agent}': it was never asked, was answered already, or its run was discarded. " +
                    (open.Count == 0 ? "No intervention is outstanding." : $"Outstanding: {string.Join(", ", open)}.") +
                    " List them with ReynRuntime.GetPendingInterventionsAsync().")
                {
                    InterventionId = interventionId,
                };
            }

            var choices = ReadChoices(intervention);
            if (choiceId is not null && choices.Count > 0 && !choices.Contains(choiceId, StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{choiceId}' is not a choice of intervention '{interventionId}' (choices: {string.Join(", ", choices)}). Answer with one of them, or with text only.", nameof(choiceId));
            }

            var runId = ReadString(intervention, "run_id") ?? throw new InvalidOperationException($"Intervention '{interventionId}' names no run_id in the WAL; it cannot be answered. Drop it with 'reyn state reset --yes'.");
            Waiter? waiter;
            lock (_sync)
            {
                _waiters.TryGetValue(interventionId, out waiter);
            }

            if (waiter is not null)
            {
                var run = waiter.Run;
                var fields = new EventData(6)
                {
                    ["agent"] = _agent,
                    ["run_id"] = runId,
                    ["intervention_id"] = interventionId,
                    ["text"] = text,
                    ["choice_id"] = choiceId,
                    ["via"] = "live",
                };
                await RecordAsync(null, WalKinds.InterventionResolved, fields, cancellationToken).ConfigureAwait(false);
                await SaveRunSnapshotAsync(run, null, null, cancellationToken).ConfigureAwait(false);
                run.Events.Emit(EventTypes.UserInterventionReceived, new EventData(3) { ["intervention_id"] = interventionId, ["choice_id"] = choiceId, ["via"] = "live" });
                Truncation?.SetWaiting(runId, null);
                lock (_sync)
                {
                    _waiters.Remove(interventionId);
                }

                waiter.Answer.TrySetResult(new InterventionAnswer(interventionId, text, choiceId));
                return InterventionDelivery.Delivered;
            }

            if (state.BufferedAnswers.TryGetValue(runId, out var existing))
            {
                throw new InvalidOperationException(
                    $"Intervention '{interventionId}' of run {runId} already has a buffered answer ('{existing.ChoiceId ?? existing.Text}'); it is handed to the run when the run resumes (ReynRuntime.RestoreAsync). Nothing was recorded.");
            }

            var buffered = new EventData(5)
            {
                ["agent"] = _agent,
                ["run_id"] = runId,
                ["intervention_id"] = interventionId,
                ["text"] = text,
                ["choice_id"] = choiceId,
            };
            await RecordAsync(null, WalKinds.InterventionAnswerBuffered, buffered, cancellationToken).ConfigureAwait(false);
            return InterventionDelivery.Buffered;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The unanswered interventions, oldest first.</summary>
    public async Task<IReadOnlyList<PendingIntervention>> PendingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await StateAsync(cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
            var list = new List<PendingIntervention>(state.OutstandingInterventions.Count);
            foreach (var (id, intervention) in state.OutstandingInterventions)
            {
                var runId = ReadString(intervention, "run_id") ?? string.Empty;
                bool waiting;
                lock (_sync)
                {
                    waiting = _waiters.ContainsKey(id);
                }

                list.Add(new PendingIntervention
                {
                    InterventionId = id,
                    RunId = runId,
                    Skill = ReadString(intervention, "skill"),
                    Phase = ReadString(intervention, "phase"),
                    Question = ReadString(intervention, "question"),
                    Choices = ReadChoices(intervention),
                    DispatchedAt = DateTimeOffset.TryParse(ReadString(intervention, "dispatched_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
                    RunIsWaiting = waiting,
                    HasBufferedAnswer = state.BufferedAnswers.TryGetValue(runId, out var answer) && (answer.InterventionId is null || answer.InterventionId == id),
                });
            }

            return list.OrderBy(p => p.DispatchedAt).ThenBy(p => p.InterventionId, StringComparer.Ordinal).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records <c>skill_discarded</c> for a run and applies it to the agent snapshot (its interventions and buffered
    /// answer are dropped) before the caller deletes the run's files. Returns how many interventions were dropped.
    /// </summary>
    public async Task<int> DiscardRunAsync(EventData fields, CancellationToken cancellationToken)
    {
        var runId = (string)fields["run_id"]!;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await StateAsync(cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
            var dropped = state.InterventionsOfRun(runId).Count;
            await RecordAsync(null, WalKinds.SkillDiscarded, fields, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                foreach (var (id, waiter) in _waiters.ToList())
                {
                    if (waiter.Run.RunId == runId)
                    {
                        _waiters.Remove(id);
                        waiter.Answer.TrySetCanceled(CancellationToken.None);
                    }
                }
            }

            return dropped;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A task that completes with the intervention id when <paramref name="runId"/> starts waiting for a person.</summary>
    public Task<string> WatchRun(string runId)
    {
        var watch = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _watches[runId] = watch;
        }

        return watch.Task;
    }

    public void Unwatch(string runId)
    {
        lock (_sync)
        {
            _watches.Remove(runId);
        }
    }

    private async Task<InterventionAnswer> ConsumeBufferedAsync(RunState run, string id, BufferedAnswer buffered, CancellationToken cancellationToken)
    {
        var consumed = new EventData(4) { ["agent"] = run.Agent, ["run_id"] = run.RunId, ["intervention_id"] = id };
        await RecordAsync(run, WalKinds.InterventionAnswerConsumed, consumed, cancellationToken).ConfigureAwait(false);
        var resolved = new EventData(6)
        {
            ["agent"] = run.Agent,
            ["run_id"] = run.RunId,
            ["intervention_id"] = id,
            ["text"] = buffered.Text,
            ["choice_id"] = buffered.ChoiceId,
            ["via"] = "buffered",
        };
        await RecordAsync(run, WalKinds.InterventionResolved, resolved, cancellationToken).ConfigureAwait(false);
        await SaveRunSnapshotAsync(run, null, null, cancellationToken).ConfigureAwait(false);
        run.Events.Emit(EventTypes.UserInterventionReceived, new EventData(3) { ["intervention_id"] = id, ["choice_id"] = buffered.ChoiceId, ["via"] = "buffered" });
        Truncation?.SetWaiting(run.RunId, null);
        return new InterventionAnswer(id, buffered.Text, buffered.ChoiceId);
    }

    /// <summary>Appends the record (durable), then catches the agent snapshot up from the WAL and saves it.</summary>
    private async Task RecordAsync(RunState? run, string kind, EventData fields, CancellationToken cancellationToken)
    {
        var state = await StateAsync(cancellationToken).ConfigureAwait(false);
        if (_wal is null)
        {
            // No WAL (WalDurability = null): interventions live in memory only.
            var json = JsonSerializer.SerializeToElement(fields.ToDictionary(f => f.Key, f => f.Value));
            state.Apply(new WalRecord(state.AppliedSeq + 1, _time.GetUtcNow(), kind, json));
            return;
        }

        if (run is not null)
        {
            await StepWriter.AppendAsync(run, kind, fields, "the question to a person", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _wal.AppendAsync(kind, fields, cancellationToken).ConfigureAwait(false);
        }

        await CatchUpAsync(state, cancellationToken).ConfigureAwait(false);
        if (_snapshots is null)
        {
            return;
        }

        try
        {
            await _snapshots.SaveAgentAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The WAL is the truth; the snapshot is a cache rebuilt from it on the next load.
            _logger.LogWarning(ex, "The agent snapshot of {Agent} could not be saved after {Kind}; it is rebuilt from the WAL on the next start", _agent, kind);
        }
    }

    private async ValueTask<AgentSnapshot> StateAsync(CancellationToken cancellationToken)
    {
        if (_state is not null)
        {
            return _state;
        }

        _state = _snapshots is null
            ? AgentSnapshot.Empty(_agent)
            : (await _snapshots.LoadAgentAsync(_agent, EmptyStateLog.Instance, cancellationToken: cancellationToken).ConfigureAwait(false)).Snapshot;
        return _state;
    }

    private async ValueTask CatchUpAsync(AgentSnapshot state, CancellationToken cancellationToken)
    {
        if (_wal is null)
        {
            return;
        }

        await foreach (var record in _wal.ReadFromAsync(state.AppliedSeq + 1, cancellationToken).ConfigureAwait(false))
        {
            state.Apply(record);
        }
    }

    /// <summary>
    /// Records the awaited intervention in the run's snapshot without moving its applied seq (the WAL records of the
    /// in-flight visit above it are still needed to resume the run).
    /// </summary>
    private async ValueTask SaveRunSnapshotAsync(RunState run, string? interventionId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (run.Snapshot is not { } snapshot || _snapshots is null)
        {
            return;
        }

        snapshot.AwaitingInterventionId = interventionId;
        snapshot.AwaitingSince = since;
        try
        {
            await _snapshots.SaveSkillRunAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "The snapshot of run {RunId} could not be saved; the WAL still records its intervention", run.RunId);
        }
    }

    private static List<string> NormalizeChoices(IReadOnlyList<string>? choices)
    {
        var list = new List<string>(choices?.Count ?? 0);
        if (choices is null)
        {
            return list;
        }

        foreach (var choice in choices)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(choice, nameof(choices));
            if (list.Contains(choice, StringComparer.Ordinal))
            {
                throw new ArgumentException($"The choice '{choice}' is listed twice; choice ids must be unique.", nameof(choices));
            }

            list.Add(choice);
        }

        return list;
    }

    private static string? ReadString(JsonElement intervention, string name) =>
        intervention.ValueKind == JsonValueKind.Object && intervention.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> ReadChoices(JsonElement intervention)
    {
        var list = new List<string>();
        if (intervention.ValueKind == JsonValueKind.Object && intervention.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.ValueKind == JsonValueKind.String)
                {
                    list.Add(choice.GetString()!);
                }
            }
        }

        return list;
    }

    private sealed class Waiter(RunState run)
    {
        public RunState Run { get; } = run;

        public TaskCompletionSource<InterventionAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
