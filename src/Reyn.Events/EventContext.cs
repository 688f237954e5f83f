namespace Reyn.Events;

/// <summary>
/// Correlation fields an <see cref="EventLog"/> stamps on every event it emits, unless the event sets them itself.
/// </summary>
/// <param name="RunId">The skill run id.</param>
/// <param name="Agent">The agent name.</param>
/// <param name="Skill">The skill name.</param>
/// <param name="Phase">The current phase.</param>
/// <param name="SessionId">The chat session id.</param>
/// <param name="ChainId">The request chain id.</param>
public sealed record EventContext(
    string? RunId = null,
    string? Agent = null,
    string? Skill = null,
    string? Phase = null,
    string? SessionId = null,
    string? ChainId = null)
{
    /// <summary>No correlation fields.</summary>
    public static EventContext Empty { get; } = new();
}
