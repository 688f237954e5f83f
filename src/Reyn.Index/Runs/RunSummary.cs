namespace Reyn.Index;

/// <summary>
/// One skill run condensed from its events: the unit that <see cref="EventIndexer"/> writes as a chunk and that
/// <see cref="OpsReporter"/> and <see cref="EvalComparer"/> aggregate (from the index or straight from the JSONL files).
/// </summary>
public sealed record RunSummary
{
    /// <summary>The run id (<c>data.run_id</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The skill name.</summary>
    public required string Skill { get; init; }

    /// <summary>The <c>skill_version_hash</c> of <c>run_skill_started</c>, or <c>unknown</c>.</summary>
    public string VersionHash { get; init; } = "unknown";

    /// <summary>When the run started, if a start event was seen.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The normalized status (<see cref="RunStatuses"/>).</summary>
    public string Status { get; init; } = RunStatuses.Success;

    /// <summary>Wall time in seconds, from the completion event or the timestamps.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Cost in USD: the completion event's <c>cost_usd</c>, else the sum over <c>llm_response_received</c>.</summary>
    public double? CostUsd { get; init; }

    /// <summary>Phases in first-visit order.</summary>
    public IReadOnlyList<string> Phases { get; init; } = [];

    /// <summary>Distinct error messages (each at most 200 characters, at most 5).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The phase the run failed in, for failed runs.</summary>
    public string? FailedPhase { get; init; }

    /// <summary>The error that failed the run, for failed runs.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Op calls per op, in first-call order.</summary>
    public IReadOnlyList<ToolCallCount> ToolCalls { get; init; } = [];

    /// <summary>Prompt tokens, if reported.</summary>
    public long? PromptTokens { get; init; }

    /// <summary>Completion tokens, if reported.</summary>
    public long? CompletionTokens { get; init; }

    /// <summary>The JSONL file the run was read from.</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>The run's time for filters and reports: its start, else its completion.</summary>
    public DateTimeOffset? Timestamp => StartedAt ?? CompletedAt;

    /// <summary>Whether the run passed (status <c>success</c>).</summary>
    public bool Passed => Status == RunStatuses.Success;
}
