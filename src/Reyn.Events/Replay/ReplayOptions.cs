namespace Reyn.Events.Replay;

/// <summary>What a <see cref="ReplayReader"/> yields from the audit log.</summary>
public sealed record ReplayOptions
{
    /// <summary>The two types the conversation view shows: the LLM input and output.</summary>
    public static IReadOnlyList<string> ConversationTypes { get; } = [EventTypes.ContextBuilt, EventTypes.LlmResponseReceived];

    /// <summary>Only these types (any of them); empty means every type.</summary>
    public IReadOnlyCollection<string> IncludeTypes { get; init; } = [];

    /// <summary>Never these types (applied after <see cref="IncludeTypes"/> and the conversation view).</summary>
    public IReadOnlyCollection<string> SkipTypes { get; init; } = [];

    /// <summary>Conversation view: only <see cref="ConversationTypes"/> (intersected with <see cref="IncludeTypes"/> when set).</summary>
    public bool Conversation { get; init; }

    /// <summary>Only events with a timestamp at or after this.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events with a timestamp at or before this.</summary>
    public DateTimeOffset? Until { get; init; }
}
