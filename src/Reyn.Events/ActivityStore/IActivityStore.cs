namespace Reyn.Events.ActivityStore;

/// <summary>
/// The query side of the activity store: list, full-text search and statistics over persisted events.
/// </summary>
/// <remarks>
/// Small on purpose so that another backend (PostgreSQL, for example) can implement it. The write side is an
/// <see cref="IEventSink"/> (for SQLite, <see cref="ActivitySink"/>). Results are newest first with paging by id
/// (<see cref="ActivityQuery.BeforeId"/>); search results are ranked by relevance (BM25).
/// </remarks>
public interface IActivityStore
{
    /// <summary>Lists events matching <paramref name="query"/>, newest first, at most <see cref="ActivityQuery.EffectiveLimit"/>.</summary>
    ValueTask<ActivityPage> ListAsync(ActivityQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Full-text search over summaries and data. <paramref name="text"/> is taken literally: words must all appear,
    /// <c>"quoted phrases"</c> match in order and <c>word*</c> matches a prefix; operators and SQL in the text are just words.
    /// Filters of <paramref name="query"/> apply before the limit. A backend may rank only a window of the newest
    /// matches (SQLite: <see cref="ActivityStoreOptions.SearchCandidateWindow"/>) to stay fast on large stores.
    /// </summary>
    ValueTask<ActivityPage> SearchAsync(string text, ActivityQuery query, CancellationToken cancellationToken = default);

    /// <summary>Totals, counts by type, source and level, and an hourly histogram over the query's window.</summary>
    ValueTask<ActivityStats> GetStatsAsync(ActivityQuery query, CancellationToken cancellationToken = default);
}
