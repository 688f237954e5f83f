namespace Reyn.Events.ActivityStore;

/// <summary>One persisted event as the store returns it.</summary>
/// <param name="Id">Store id; increases with insertion order (the paging cursor).</param>
/// <param name="TimestampMs">The event's time in Unix epoch milliseconds.</param>
/// <param name="Timestamp">The event's time as ISO-8601 UTC text.</param>
/// <param name="Project">The <c>project</c> field, if any.</param>
/// <param name="Agent">The <c>agent</c> field, if any.</param>
/// <param name="Session">The <c>session_id</c> field, if any.</param>
/// <param name="Run">The <c>run_id</c> field, if any.</param>
/// <param name="Source">The catalog source of the type.</param>
/// <param name="Type">The event type.</param>
/// <param name="Level">The level name: <c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c>.</param>
/// <param name="Summary">The one-line summary rendered from the catalog template.</param>
/// <param name="Data">The sanitized payload as JSON object text.</param>
/// <param name="Rank">BM25 relevance for full-text search results (lower is better); <see langword="null"/> otherwise.</param>
public sealed record ActivityRecord(
    long Id,
    long TimestampMs,
    string Timestamp,
    string? Project,
    string? Agent,
    string? Session,
    string? Run,
    string Source,
    string Type,
    string Level,
    string Summary,
    string? Data,
    double? Rank);
