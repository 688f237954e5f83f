namespace Reyn.Index.Tests.Support;

/// <summary>A backend whose writes fail (a full disk, a locked database), counting how many writes were attempted.</summary>
public sealed class FailingWriteBackend : IIndexBackend
{
    public int UpsertCalls { get; private set; }

    public ValueTask<UpsertResult> UpsertAsync(string source, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        UpsertCalls++;
        throw new IOException("disk full");
    }

    public ValueTask<int> DeleteAsync(string source, string? sourcePath = null, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public ValueTask<IndexQueryResult> QueryAsync(string source, IndexQuery query, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(IndexQueryResult.Empty(IndexSearchMode.Bm25));

    public ValueTask<IndexStats> GetStatsAsync(string source, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new IndexStats(source, 0, 0, null, null));

    public ValueTask<long> DropAsync(string source, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
}
