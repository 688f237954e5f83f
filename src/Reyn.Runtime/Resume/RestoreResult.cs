namespace Reyn.Runtime;

/// <summary>The outcome of <see cref="ReynRuntime.RestoreAsync"/>.</summary>
public sealed class RestoreResult
{
    internal RestoreResult()
    {
    }

    /// <summary>Whether restore was skipped (<see cref="RestoreOptions.NoRestore"/> or no WAL).</summary>
    public bool Skipped { get; init; }

    /// <summary>The highest WAL seq replayed.</summary>
    public long ReplayedToSeq { get; init; }

    /// <summary>Every in-flight run found, in run id order, with what was done.</summary>
    public IReadOnlyList<ResumedRun> Runs { get; init; } = [];

    /// <summary>Snapshots of runs that had already ended (their <c>skill_completed</c> was durable) and were deleted.</summary>
    public IReadOnlyList<string> Cleaned { get; init; } = [];
}
