using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.State;

namespace Reyn.Runtime.Internal;

/// <summary>The mutable state of one skill run, shared by the runner, the phase contexts and the recorders.</summary>
internal sealed class RunState
{
    private readonly Dictionary<string, int> _stepCounters = new(StringComparer.Ordinal);

    public required string RunId { get; init; }
    public required SkillDefinition Skill { get; init; }
    public required string Agent { get; init; }
    public required EventLog Events { get; init; }
    public required IStateLog? Wal { get; init; }
    public required Workspace Workspace { get; init; }
    public required PermissionChecker Permissions { get; init; }
    public required OpRegistry Ops { get; init; }
    public required IChatClient? ChatClient { get; init; }
    public required ReynOptions Options { get; init; }
    public required TimeProvider Time { get; init; }
    public required IServiceProvider Services { get; init; }
    public required ILogger Logger { get; init; }
    public required string AgentStateDirectory { get; init; }

    /// <summary>Memoized steps served instead of running (crash resume fills it; empty on a fresh run).</summary>
    public IStepMemo? Memo { get; init; }

    /// <summary>Questions to a person (<see cref="PhaseContext.AskHumanAsync"/>); null when the runtime has none (benchmarks).</summary>
    public Interventions.Internal.InterventionBroker? Interventions { get; init; }

    /// <summary>Questions the resumed phase visit already asked (crash resume fills it).</summary>
    public Interventions.Internal.InterventionMemo? InterventionMemo { get; init; }

    /// <summary>The run's snapshot once saved (null without a WAL).</summary>
    public SkillRunSnapshot? Snapshot { get; set; }

    public string Phase { get; private set; } = string.Empty;
    public int VisitCount { get; private set; }
    public PhaseBudget PhaseBudget { get; private set; } = new();
    public long PhaseStartTimestamp { get; private set; }

    // Per phase visit.
    public int PhaseLlmCalls { get; set; }
    public long PhaseTokens { get; set; }

    // Per run totals.
    public long PromptTokens;
    public long CompletionTokens;
    public long CachedTokens;
    public decimal CostUsd;
    public int LlmCalls;
    public int OpCalls;

    public void EnterPhase(string phase, int visitCount, PhaseBudget budget)
    {
        Phase = phase;
        VisitCount = visitCount;
        PhaseBudget = budget;
        PhaseLlmCalls = 0;
        PhaseTokens = 0;
        PhaseStartTimestamp = Time.GetTimestamp();
        _stepCounters.Clear();
        Events.Context = Events.Context with { Phase = phase };
    }

    /// <summary>The next step id of <paramref name="kind"/> in the current phase visit: <c>&lt;phase&gt;.&lt;kind&gt;.&lt;n&gt;</c>, n from 0.</summary>
    public string NextStepId(string kind)
    {
        lock (_stepCounters)
        {
            _stepCounters.TryGetValue(kind, out var n);
            _stepCounters[kind] = n + 1;
            return string.Concat(Phase, ".", kind, ".", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public TimeSpan PhaseElapsed => Time.GetElapsedTime(PhaseStartTimestamp);
}

/// <summary>Recorded steps a resumed run serves without running them again (filled by crash resume).</summary>
internal interface IStepMemo
{
    bool TryGet(string opInvocationId, string phase, string argsHash, out System.Text.Json.JsonElement result);
}
