namespace Reyn.Runtime;

/// <summary>A question to a person that has not been answered yet (see <see cref="ReynRuntime.GetPendingInterventionsAsync"/>).</summary>
public sealed class PendingIntervention
{
    internal PendingIntervention()
    {
    }

    /// <summary>The id to answer with (<see cref="ReynRuntime.ResolveInterventionAsync"/>).</summary>
    public required string InterventionId { get; init; }

    /// <summary>The run that asked.</summary>
    public required string RunId { get; init; }

    /// <summary>The skill of the run.</summary>
    public string? Skill { get; init; }

    /// <summary>The phase that asked.</summary>
    public string? Phase { get; init; }

    /// <summary>The question.</summary>
    public string? Question { get; init; }

    /// <summary>The allowed choice ids; empty when the answer is free text.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>When the question was dispatched.</summary>
    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>Whether a run in this process is waiting for the answer right now (otherwise an answer is buffered).</summary>
    public bool RunIsWaiting { get; init; }

    /// <summary>Whether an answer is already buffered for the run (it is consumed when the run resumes).</summary>
    public bool HasBufferedAnswer { get; init; }
}
