namespace Reyn.Events.ActivityStore;

/// <summary>One page of query results and how it was produced.</summary>
public sealed class ActivityPage
{
    /// <summary>Creates a page.</summary>
    public ActivityPage(IReadOnlyList<ActivityRecord> events, bool ftsEnabled, bool fallbackUsed, long droppedEventCount)
    {
        ArgumentNullException.ThrowIfNull(events);
        Events = events;
        FtsEnabled = ftsEnabled;
        FallbackUsed = fallbackUsed;
        DroppedEventCount = droppedEventCount;
    }

    /// <summary>An empty page (no store file yet).</summary>
    public static ActivityPage Empty { get; } = new([], ftsEnabled: false, fallbackUsed: false, droppedEventCount: 0);

    /// <summary>The events: newest first for lists, best first for searches.</summary>
    public IReadOnlyList<ActivityRecord> Events { get; }

    /// <summary>Whether the store has its FTS5 index.</summary>
    public bool FtsEnabled { get; }

    /// <summary>Whether a search ran on the <c>LIKE</c> fallback because FTS5 is unavailable.</summary>
    public bool FallbackUsed { get; }

    /// <summary>Events writers recorded as dropped in this store (queue full, database unavailable).</summary>
    public long DroppedEventCount { get; }

    /// <summary>The cursor for the next (older) page: the lowest id on this page, or <see langword="null"/> when empty.</summary>
    public long? NextBeforeId
    {
        get
        {
            long? min = null;
            foreach (var e in Events)
            {
                if (min is null || e.Id < min)
                {
                    min = e.Id;
                }
            }

            return min;
        }
    }
}
