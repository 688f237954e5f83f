namespace Reyn.Runtime;

/// <summary>
/// A person's answer to a question a phase asked with <see cref="PhaseContext.AskHumanAsync"/>, as given to
/// <see cref="ReynRuntime.ResolveInterventionAsync"/>.
/// </summary>
/// <param name="InterventionId">The intervention the answer is for.</param>
/// <param name="Text">The free-text answer (may be <see langword="null"/> when a choice was picked).</param>
/// <param name="ChoiceId">The chosen option (one of the question's choices), if any.</param>
public sealed record InterventionAnswer(string InterventionId, string? Text, string? ChoiceId);
