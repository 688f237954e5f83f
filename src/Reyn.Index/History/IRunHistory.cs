namespace Reyn.Index;

/// <summary>Where reports read completed runs from: the index, or the raw JSONL files.</summary>
public interface IRunHistory
{
    /// <summary>A short name for output: <c>index</c> or <c>events</c>.</summary>
    string Name { get; }

    /// <summary>Completed runs that pass <paramref name="filter"/>, in no particular order.</summary>
    IAsyncEnumerable<RunSummary> ReadRunsAsync(IndexFilter filter, CancellationToken cancellationToken = default);
}
