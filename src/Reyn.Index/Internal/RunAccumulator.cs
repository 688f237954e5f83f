using System.Globalization;
using Reyn.Events;

namespace Reyn.Index.Internal;

/// <summary>Collects the events of one run until its completion event arrives.</summary>
internal sealed class RunAccumulator(string runId, string sourcePath)
{
    private const int MaxErrors = 5;
    private const int MaxErrorLength = 200;

    private readonly List<string> _phases = [];
    private readonly List<string> _errors = [];
    private readonly List<ToolCallCount> _toolCalls = [];
    private readonly List<ToolCallCount> _toolReturns = [];
    private string? _skill;
    private string? _versionHash;
    private string? _startKind;
    private DateTimeOffset? _startedAt;
    private double _llmCost;
    private bool _hasLlmCost;
    private long _promptTokens;
    private long _completionTokens;
    private bool _hasTokens;
    private string? _lastPhase;
    private string? _failedPhase;
    private string? _failureReason;
    private bool _limitHit;

    public string RunId { get; } = runId;

    /// <summary>Whether events of <paramref name="type"/> take part in run chunking.</summary>
    public static bool IsRelevant(string? type) => type is EventTypes.RunSkillStarted or EventTypes.WorkflowStarted
        or EventTypes.PhaseStarted or EventTypes.PhaseFailed or EventTypes.LoopLimitExceeded or EventTypes.PhaseBudgetExceeded
        or EventTypes.ToolCalled or EventTypes.ToolReturned or EventTypes.ToolFailed or EventTypes.LlmResponseReceived
        or EventTypes.RunSkillCompleted or EventTypes.WorkflowFinished;

    /// <summary>Adds one event; returns the finished run when this event completes it.</summary>
    public RunSummary? Add(in RawEvent evt)
    {
        _skill ??= evt.Skill;
        switch (evt.Type)
        {
            case EventTypes.RunSkillStarted:
            case EventTypes.WorkflowStarted:
                if (_startKind is null || evt.Type == EventTypes.RunSkillStarted)
                {
                    _startKind = evt.Type;
                    _startedAt ??= evt.Timestamp;
                    if (evt.Skill is not null)
                    {
                        _skill = evt.Skill;
                    }
                }

                _versionHash ??= string.IsNullOrEmpty(evt.VersionHash) ? null : evt.VersionHash;
                return null;
            case EventTypes.PhaseStarted:
                if (evt.Phase is not null)
                {
                    _lastPhase = evt.Phase;
                    if (!_phases.Contains(evt.Phase))
                    {
                        _phases.Add(evt.Phase);
                    }
                }

                return null;
            case EventTypes.PhaseFailed:
                _failedPhase = evt.Phase ?? _lastPhase;
                _failureReason = Truncate(evt.Error ?? "phase failed");
                AddError(_failureReason);
                return null;
            case EventTypes.LoopLimitExceeded:
                _limitHit = true;
                _failedPhase = evt.Phase ?? _lastPhase;
                _failureReason = Truncate($"loop limit exceeded (visit {evt.VisitCount ?? "?"} > max {evt.Max ?? "?"})");
                AddError(_failureReason);
                return null;
            case EventTypes.PhaseBudgetExceeded:
                _limitHit = true;
                _failedPhase = evt.Phase ?? _lastPhase;
                _failureReason = Truncate($"phase budget exceeded (elapsed {evt.Elapsed ?? "?"} > budget {evt.Budget ?? "?"})");
                AddError(_failureReason);
                return null;
            case EventTypes.ToolCalled:
                Count(_toolCalls, evt.Op);
                return null;
            case EventTypes.ToolReturned:
                Count(_toolReturns, evt.Op);
                return null;
            case EventTypes.ToolFailed:
                AddError(Truncate($"{evt.Op ?? "op"}: {evt.Error ?? "failed"}"));
                return null;
            case EventTypes.LlmResponseReceived:
                if (evt.CostUsd is { } cost)
                {
                    _llmCost += cost;
                    _hasLlmCost = true;
                }

                if (evt.PromptTokens is not null || evt.CompletionTokens is not null)
                {
                    _promptTokens += evt.PromptTokens ?? 0;
                    _completionTokens += evt.CompletionTokens ?? 0;
                    _hasTokens = true;
                }

                return null;
            case EventTypes.RunSkillCompleted:
                return _startKind is null or EventTypes.RunSkillStarted ? Complete(evt) : null;
            case EventTypes.WorkflowFinished:
                return _startKind is null or EventTypes.WorkflowStarted ? Complete(evt) : null;
            default:
                return null;
        }
    }

    private RunSummary Complete(in RawEvent evt)
    {
        var raw = evt.Type == EventTypes.RunSkillCompleted ? evt.Status : evt.Reason ?? evt.Status;
        var status = _limitHit ? RunStatuses.Failed : RunStatuses.Normalize(raw);
        if (evt.Error is not null)
        {
            AddError(Truncate(evt.Error));
        }

        string? failedPhase = null;
        string? failureReason = null;
        if (status != RunStatuses.Success)
        {
            failedPhase = _failedPhase ?? evt.Phase ?? _lastPhase;
            failureReason = _failureReason ?? (evt.Error is not null ? Truncate(evt.Error) : raw);
        }

        var duration = evt.DurationSeconds;
        if (duration is null && _startedAt is { } started && evt.Timestamp is { } completed)
        {
            duration = Math.Max(0, (completed - started).TotalSeconds);
        }

        var toolCalls = _toolCalls.Count > 0 ? _toolCalls : _toolReturns;
        return new RunSummary
        {
            RunId = RunId,
            Skill = _skill ?? evt.Skill ?? "unknown",
            VersionHash = _versionHash ?? (string.IsNullOrEmpty(evt.VersionHash) ? "unknown" : evt.VersionHash),
            StartedAt = _startedAt,
            CompletedAt = evt.Timestamp,
            Status = status,
            DurationSeconds = duration,
            CostUsd = evt.CostUsd ?? (_hasLlmCost ? _llmCost : null),
            Phases = _phases.ToArray(),
            Errors = _errors.ToArray(),
            FailedPhase = failedPhase,
            FailureReason = failureReason,
            ToolCalls = toolCalls.ToArray(),
            PromptTokens = evt.PromptTokens ?? (_hasTokens ? _promptTokens : null),
            CompletionTokens = evt.CompletionTokens ?? (_hasTokens ? _completionTokens : null),
            SourcePath = sourcePath,
        };
    }

    private void AddError(string error)
    {
        if (_errors.Count < MaxErrors && !_errors.Contains(error))
        {
            _errors.Add(error);
        }
    }

    private static void Count(List<ToolCallCount> counts, string? op)
    {
        op ??= "unknown";
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i].Op == op)
            {
                counts[i] = counts[i] with { Count = counts[i].Count + 1 };
                return;
            }
        }

        counts.Add(new ToolCallCount(op, 1));
    }

    private static string Truncate(string value)
    {
        value = value.ReplaceLineEndings(" ").Trim();
        return value.Length <= MaxErrorLength ? value : value[..MaxErrorLength];
    }

    internal static string Describe(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
