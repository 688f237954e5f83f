namespace Reyn.Index;

/// <summary>Picks the run history: the index when the source holds runs, the JSONL files otherwise.</summary>
public static class RunHistorySelector
{
    /// <summary>The index history when <paramref name="source"/> exists in <paramref name="backend"/>, else the file history.</summary>
    public static async Task<IRunHistory> SelectAsync(IIndexBackend backend, string rootDirectory, string source = EventIndexer.DefaultSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var stats = await backend.GetStatsAsync(source, cancellationToken).ConfigureAwait(false);
        return stats.Exists ? new IndexRunHistory(backend, source) : new EventFileRunHistory(rootDirectory);
    }
}
