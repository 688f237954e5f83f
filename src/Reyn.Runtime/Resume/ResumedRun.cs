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

    /// <summary>The result of the resumed run; null when it was discarded or its skill is unknown.</summary>
    public SkillRunResult? Result { get; init; }
}
