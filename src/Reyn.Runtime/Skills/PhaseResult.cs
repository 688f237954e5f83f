namespace Reyn.Runtime;

/// <summary>What a phase decided: go to another phase, finish the run with an output, or abort it deliberately.</summary>
public sealed class PhaseResult
{
    private PhaseResult(PhaseDecision decision, string? nextPhase, object? artifact, string? reason)
    {
        Decision = decision;
        NextPhase = nextPhase;
        Artifact = artifact;
        Reason = reason;
    }

    /// <summary>The decision.</summary>
    public PhaseDecision Decision { get; }

    /// <summary>The phase to enter next, for <see cref="PhaseDecision.Next"/>.</summary>
    public string? NextPhase { get; }

    /// <summary>The artifact handed to the next phase (or the run's output); serialized to JSON.</summary>
    public object? Artifact { get; }

    /// <summary>Why the run was aborted, for <see cref="PhaseDecision.Abort"/>.</summary>
    public string? Reason { get; }

    /// <summary>Enter <paramref name="phase"/> next with <paramref name="artifact"/> as its input.</summary>
    public static PhaseResult Next(string phase, object? artifact = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phase);
        return new(PhaseDecision.Next, phase, artifact, null);
    }

    /// <summary>Finish the run; <paramref name="output"/> becomes its output.</summary>
    public static PhaseResult Finish(object? output = null) => new(PhaseDecision.Finish, null, output, null);

    /// <summary>Abort the run on purpose (not resumed after a restart).</summary>
    public static PhaseResult Abort(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(PhaseDecision.Abort, null, null, reason);
    }
}

/// <summary>The kinds of <see cref="PhaseResult"/>.</summary>
public enum PhaseDecision
{
    /// <summary>Go to another phase.</summary>
    Next,

    /// <summary>Finish the run successfully.</summary>
    Finish,

    /// <summary>Abort the run deliberately.</summary>
    Abort,
}
