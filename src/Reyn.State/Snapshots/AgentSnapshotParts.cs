using System.Text.Json;

namespace Reyn.State;

/// <summary>A message waiting in an agent's inbox.</summary>
public sealed class InboxMessage
{
    /// <summary>The message id (<c>msg_id</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The message kind (<c>msg_kind</c>).</summary>
    public string? Kind { get; set; }

    /// <summary>The payload as written to the WAL.</summary>
    public JsonElement? Payload { get; set; }
}

/// <summary>A delegation chain the agent is waiting on.</summary>
public sealed class PendingChain
{
    /// <summary>The chain id.</summary>
    public string ChainId { get; set; } = string.Empty;

    /// <summary>The agent that started the chain.</summary>
    public string? OriginAgent { get; set; }

    /// <summary>Delegation depth at the origin.</summary>
    public int OriginDepth { get; set; }

    /// <summary>The request that started the chain.</summary>
    public string? OriginalRequest { get; set; }

    /// <summary>Who the chain still waits on.</summary>
    public List<string> WaitingOn { get; set; } = [];
}

/// <summary>An intervention answer that arrived before the resuming run consumed it.</summary>
public sealed class BufferedAnswer
{
    /// <summary>The intervention the answer is for (<see langword="null"/> in snapshots written before it was recorded).</summary>
    public string? InterventionId { get; set; }

    /// <summary>The answer text.</summary>
    public string? Text { get; set; }

    /// <summary>The chosen option, if any.</summary>
    public string? ChoiceId { get; set; }
}
