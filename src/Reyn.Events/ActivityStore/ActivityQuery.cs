namespace Reyn.Events.ActivityStore;

/// <summary>A filter over the activity store. Unset members do not filter.</summary>
public sealed record ActivityQuery
{
    /// <summary>The limit used when none is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page a query returns; larger limits are clamped to it.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only events of this project (the event's <c>project</c> field).</summary>
    public string? Project { get; init; }

    /// <summary>Only events of this agent.</summary>
    public string? Agent { get; init; }

    /// <summary>Only events of this chat session (<c>session_id</c>).</summary>
    public string? Session { get; init; }

    /// <summary>Only events of this skill run (<c>run_id</c>).</summary>
    public string? Run { get; init; }

    /// <summary>Only events from this source layer (see <see cref="EventSources"/>).</summary>
    public string? Source { get; init; }

    /// <summary>Only events of these types (any of them); empty means every type.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Only events at this level or more severe.</summary>
    public EventLevel? MinLevel { get; init; }

    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events at or before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Page size; clamped to 1..<see cref="MaxLimit"/> (see <see cref="EffectiveLimit"/>). Default <see cref="DefaultLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Paging cursor: only events with an id lower than this (pass <see cref="ActivityPage.NextBeforeId"/>).</summary>
    public long? BeforeId { get; init; }

    /// <summary><see cref="Limit"/> clamped to 1..<see cref="MaxLimit"/>.</summary>
    public int EffectiveLimit => Math.Clamp(Limit, 1, MaxLimit);
}
