using System.Text.Json;

namespace Reyn.State;

/// <summary>
/// A <c>step_started</c> with no completion: the process died while the op ran, so whether its side effect happened is
/// unknown. The resume policy (retry, skip, discard_skill, prompt) decides.
/// </summary>
/// <param name="OpInvocationId">The op invocation id.</param>
/// <param name="OpKind">The op kind.</param>
/// <param name="Phase">The phase it ran in.</param>
/// <param name="ArgsHash">The args hash.</param>
/// <param name="StartedSeq">The seq of the <c>step_started</c> record.</param>
/// <param name="Args">The recorded arguments.</param>
public sealed record AmbiguousStep(string OpInvocationId, string? OpKind, string? Phase, string? ArgsHash, long StartedSeq, JsonElement? Args);
