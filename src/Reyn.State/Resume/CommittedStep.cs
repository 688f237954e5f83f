using System.Text.Json;

namespace Reyn.State;

/// <summary>A step with a recorded outcome (<c>step_completed</c> or <c>step_failed</c>): resume serves it from the WAL.</summary>
/// <param name="OpInvocationId">The op invocation id (memo key part 1).</param>
/// <param name="OpKind">The op kind, for example <c>file_write</c> or <c>llm</c>.</param>
/// <param name="Phase">The phase it ran in (memo key part 2).</param>
/// <param name="ArgsHash">The args hash (memo key part 3).</param>
/// <param name="Seq">The seq of the completion record.</param>
/// <param name="StartedSeq">The seq of the paired <c>step_started</c>, or <see langword="null"/> when there was none (world and LLM ops).</param>
/// <param name="Result">The recorded result when the step succeeded.</param>
/// <param name="ErrorKind">The recorded error kind when the step failed.</param>
/// <param name="ErrorMessage">The recorded error message when the step failed.</param>
/// <param name="Usage">Recorded usage (tokens, cost) if any.</param>
public sealed record CommittedStep(
    string OpInvocationId,
    string? OpKind,
    string? Phase,
    string? ArgsHash,
    long Seq,
    long? StartedSeq,
    JsonElement? Result,
    string? ErrorKind,
    string? ErrorMessage,
    JsonElement? Usage)
{
    /// <summary>Whether the step failed (<c>step_failed</c>).</summary>
    public bool Failed => ErrorKind is not null || ErrorMessage is not null;
}
