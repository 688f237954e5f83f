using System.Runtime.CompilerServices;

namespace Reyn.Index;

/// <summary>Runs read back from the run chunks of an index source (fast path).</summary>
public sealed class IndexRunHistory : IRunHistory
{
    private readonly IIndexBackend _backend;
    private readonly string _source;

    /// <summary>Creates the history over <paramref name="source"/> of <paramref name="backend"/>.</summary>
    public IndexRunHistory(IIndexBackend backend, string source = EventIndexer.DefaultSource)
    {
        ArgumentNullException.ThrowIfNull(backend);
        SourceName.ThrowIfInvalid(source);
        _backend = backend;
        _source = source;
    }

    /// <inheritdoc />
    public string Name => "index";

    /// <inheritdoc />
    public async IAsyncEnumerable<RunSummary> ReadRunsAsync(IndexFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var result = await _backend.QueryAsync(_source, new IndexQuery("", int.MaxValue) { Filter = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var hit in result.Hits)
        {
            if (RunChunkFormat.FromHit(hit) is { } run)
            {
                yield return run;
            }
        }
    }
}
