namespace Reyn.Events.ActivityStore;

/// <summary>Aggregates over the events matching a query.</summary>
public sealed class ActivityStats
{
    /// <summary>Events matching the filter.</summary>
    public required long Total { get; init; }

    /// <summary>Events writers recorded as dropped in this store.</summary>
    public required long DroppedEventCount { get; init; }

    /// <summary>Time of the oldest matching event, if any.</summary>
    public DateTimeOffset? Oldest { get; init; }

    /// <summary>Time of the newest matching event, if any.</summary>
    public DateTimeOffset? Newest { get; init; }

    /// <summary>Counts per event type, largest first.</summary>
    public required IReadOnlyList<ActivityCount> ByType { get; init; }

    /// <summary>Counts per source, largest first.</summary>
    public required IReadOnlyList<ActivityCount> BySource { get; init; }

    /// <summary>Counts per level, largest first.</summary>
    public required IReadOnlyList<ActivityCount> ByLevel { get; init; }

    /// <summary>Start of the histogram window (the query's <c>Since</c>, else 24 hours before its end).</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>End of the histogram window (the query's <c>Until</c>, else now).</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Events per hour over the window, oldest hour first, including empty hours.</summary>
    public required IReadOnlyList<ActivityHistogramBucket> Hourly { get; init; }

    /// <summary>Whether the store has its FTS5 index.</summary>
    public bool FtsEnabled { get; init; }
}

/// <summary>A count for one value of a grouping key.</summary>
/// <param name="Key">The type, source or level.</param>
/// <param name="Count">How many events have it.</param>
public sealed record ActivityCount(string Key, long Count);

/// <summary>One hour of the histogram.</summary>
/// <param name="Hour">Start of the hour (UTC).</param>
/// <param name="Count">Events in that hour.</param>
public sealed record ActivityHistogramBucket(DateTimeOffset Hour, long Count);
