using Reyn.State;

namespace Reyn.Runtime;

/// <summary>The coordinator's decision for one in-flight run.</summary>
/// <param name="Action">One of <see cref="ResumeActions"/>.</param>
/// <param name="Policy">The configured policy that applied (<c>skill_resume</c>), as written.</param>
/// <param name="AmbiguousSteps">The steps that made the policy necessary (empty for <see cref="ResumeActions.Resume"/>).</param>
/// <param name="Warning">Set when the policy was not understood and <c>retry</c> was used instead, or <c>prompt</c> was mapped to <c>retry</c>.</param>
public sealed record ResumeDecision(string Action, string Policy, IReadOnlyList<AmbiguousStep> AmbiguousSteps, string? Warning = null);
