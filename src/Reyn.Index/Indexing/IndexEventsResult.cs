namespace Reyn.Index;

/// <summary>The outcome of one index_events pass.</summary>
public sealed record IndexEventsResult
{
    /// <summary>Runs newly written to the index.</summary>
    public int IndexedRuns { get; init; }

    /// <summary>Runs not finished yet (picked up by a later pass once they complete).</summary>
    public int SkippedRuns { get; init; }

    /// <summary>Completed runs left out: completed before the effective since, or not in the skill filter.</summary>
    public int FilteredRuns { get; init; }

    /// <summary>Completed runs whose chunk was already in the index (nothing written).</summary>
    public int UnchangedRuns { get; init; }

    /// <summary>The new cursor: the latest completion time indexed so far (null when nothing was ever indexed).</summary>
    public DateTimeOffset? Cursor { get; init; }

    /// <summary>The since the pass used (cursor, explicit since, or none).</summary>
    public DateTimeOffset? EffectiveSince { get; init; }

    /// <summary>Event files read (files unchanged since the cursor are not opened).</summary>
    public int FilesRead { get; init; }

    /// <summary>Lines skipped as blank, torn or not an event.</summary>
    public long SkippedLines { get; init; }
}
