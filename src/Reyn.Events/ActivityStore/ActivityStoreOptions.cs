namespace Reyn.Events.ActivityStore;

/// <summary>Options of the SQLite activity store (<c>AddReynActivityStore</c>). Defaults suit a local developer machine.</summary>
public sealed class ActivityStoreOptions
{
    /// <summary>The database file. Default: <c>&lt;root&gt;/events.db</c> where root is <c>ReynEventsOptions.RootDirectory</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Events buffered before new ones are dropped (and counted). Default 65,536.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// Most events committed in one transaction. Default 4,096: under a backlog, fewer commits write the hot index and
    /// FTS pages fewer times (one commit costs ~2.6 µs per event at 4,096 against ~5 µs at 1,024). A batch holds the
    /// file's write lock while it runs (tens of milliseconds at most); a writer in another process waits for it within
    /// <see cref="BusyTimeout"/>.
    /// </summary>
    public int BatchSize { get; set; } = 4096;

    /// <summary>Events older than this are pruned. Default 7 days; <see cref="TimeSpan.Zero"/> disables age pruning.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Keep at most this many rows (oldest pruned first); <see langword="null"/> (default) for no row cap.</summary>
    public long? MaxRows { get; set; }

    /// <summary>Keep the used size of the file under this many bytes (oldest rows pruned first); <see langword="null"/> (default) for no cap. Freed pages are reused, not returned to the OS (no <c>VACUUM</c> on the hot path).</summary>
    public long? MaxFileBytes { get; set; }

    /// <summary>How often retention runs after the prune at open. Default 1 hour.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per prune transaction. Default 1,000.</summary>
    public int PruneBatchSize { get; set; } = 1000;

    /// <summary>How long to wait before trying again to open a database that could not be opened. Default 30 seconds.</summary>
    public TimeSpan ReopenInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a writer waits for another process's lock (<c>busy_timeout</c>). Default 5 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Create and use the FTS5 index. Default <see langword="true"/>; when FTS5 is unavailable search falls back to <c>LIKE</c>.</summary>
    public bool FullTextSearch { get; set; } = true;

    /// <summary>
    /// Search ranks (BM25) the newest this-many matches of the query and filters; older matches beyond the window are
    /// not ranked. Keeps a search over millions of events fast when a symptom matches tens of thousands of them, and
    /// favours recent evidence. Default 2,000; 0 ranks every match.
    /// </summary>
    public int SearchCandidateWindow { get; set; } = 2000;

    /// <summary>Returns what is wrong with these options, or <see langword="null"/> when they are valid.</summary>
    public string? Validate()
    {
        if (Path is not null && string.IsNullOrWhiteSpace(Path))
        {
            return "ActivityStoreOptions.Path must be a file path (for example \".reyn/events.db\") or null for the default.";
        }

        if (QueueCapacity <= 0)
        {
            return $"ActivityStoreOptions.QueueCapacity must be positive (was {QueueCapacity}).";
        }

        if (BatchSize <= 0)
        {
            return $"ActivityStoreOptions.BatchSize must be positive (was {BatchSize}).";
        }

        if (Retention < TimeSpan.Zero)
        {
            return $"ActivityStoreOptions.Retention must be zero (off) or positive (was {Retention}).";
        }

        if (MaxRows is <= 0)
        {
            return $"ActivityStoreOptions.MaxRows must be positive or null (was {MaxRows}).";
        }

        if (MaxFileBytes is <= 0)
        {
            return $"ActivityStoreOptions.MaxFileBytes must be positive or null (was {MaxFileBytes}).";
        }

        if (PruneInterval <= TimeSpan.Zero || ReopenInterval <= TimeSpan.Zero || BusyTimeout < TimeSpan.Zero)
        {
            return "ActivityStoreOptions.PruneInterval and ReopenInterval must be positive and BusyTimeout not negative.";
        }

        if (SearchCandidateWindow < 0)
        {
            return $"ActivityStoreOptions.SearchCandidateWindow must be 0 (rank every match) or positive (was {SearchCandidateWindow}).";
        }

        if (PruneBatchSize <= 0)
        {
            return $"ActivityStoreOptions.PruneBatchSize must be positive (was {PruneBatchSize}).";
        }

        return null;
    }
}
