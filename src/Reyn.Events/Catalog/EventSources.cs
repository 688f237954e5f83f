namespace Reyn.Events;

/// <summary>The owner layers an <see cref="EventKind"/> can name as its source.</summary>
public static class EventSources
{
    /// <summary>Skill and phase lifecycle.</summary>
    public const string Lifecycle = "lifecycle";
    /// <summary>Context building and model calls.</summary>
    public const string Llm = "llm";
    /// <summary>Ops (tools), their permissions and results.</summary>
    public const string Op = "op";
    /// <summary>Chat sessions and turns.</summary>
    public const string Chat = "chat";
    /// <summary>Agent-to-agent messaging and user interventions.</summary>
    public const string Agent = "agent";
    /// <summary>Durable state: resume, memoization, interruption.</summary>
    public const string State = "state";
    /// <summary>Configuration reloads.</summary>
    public const string Config = "config";
    /// <summary>The cron scheduler.</summary>
    public const string Cron = "cron";
    /// <summary>Indexing and recall.</summary>
    public const string Index = "index";
    /// <summary>Lifecycle hooks.</summary>
    public const string Hook = "hook";
}
