namespace Reyn.Index;

/// <summary>The input of one index_events pass.</summary>
public sealed record IndexEventsRequest
{
    /// <summary>Index runs completed at or after this time, overriding the cursor. Null: use the cursor.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Append (default) or replace.</summary>
    public IndexEventsMode Mode { get; init; } = IndexEventsMode.Append;

    /// <summary>Only index these skills (others are counted as filtered). Null: all skills.</summary>
    public IReadOnlyCollection<string>? Skills { get; init; }
}
