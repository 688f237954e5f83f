namespace Reyn.Runtime;

/// <summary>What restore did with one in-flight run.</summary>
public sealed class ResumedRun
{
    internal ResumedRun()
    {
    }

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The skill name (null when the WAL did not name it).</summary>
    public string? Skill { get; init; }

    /// <summary>The phase the run re-entered (or was in when discarded).</summary>
    public string? Phase { get; init; }

    /// <summary>The coordinator's decision.</summary>
    public required ResumeDecision Decision { get; init; }

    /// <summary>Committed steps of the in-flight phase visit available from the WAL.</summary>
    public int CommittedSteps { get; init; }

    /// <summary>Steps actually served from the WAL without running (ops and model calls).</summary>
    public int MemoizedSteps { get; init; }

    /// <summary>
    /// The result of the resumed run; null when it was discarded, its skill is unknown, or it is waiting for a person
    /// (<see cref="AwaitingInterventionId"/>; await <see cref="Completion"/> for the result).
    /// </summary>
    public SkillRunResult? Result { get; init; }

    /// <summary>
    /// The intervention the resumed run is waiting for when restore returned (answer it with
    /// <see cref="ReynRuntime.ResolveInterventionAsync"/>); null when the run did not wait.
    /// </summary>
    public string? AwaitingInterventionId { get; init; }

    /// <summary>The resumed run itself (completes with <see cref="Result"/>, or later for a run waiting for a person); null when the run was not resumed.</summary>
    public Task<SkillRunResult>? Completion { get; init; }
}
