namespace Reyn.Runtime;

/// <summary>The code that runs a phase.</summary>
public delegate Task<PhaseResult> PhaseHandler(PhaseContext context);

/// <summary>One phase of a skill.</summary>
/// <param name="Name">The phase name, unique in the skill.</param>
/// <param name="Handler">The code of the phase.</param>
/// <param name="MaxVisits">How many times the phase may be entered in one run (loop valve); <see langword="null"/> = reyn.yaml <c>loop.max_visits</c>.</param>
/// <param name="Budget">Per-visit limits; <see langword="null"/> = reyn.yaml <c>budget:</c>.</param>
public sealed record PhaseDefinition(string Name, PhaseHandler Handler, int? MaxVisits = null, PhaseBudget? Budget = null);
