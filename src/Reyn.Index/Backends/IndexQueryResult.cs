namespace Reyn.Index;

/// <summary>The answer of <see cref="IIndexBackend.QueryAsync"/>.</summary>
/// <param name="Hits">Best first, at most top-k.</param>
/// <param name="Mode">How the query was ranked.</param>
/// <param name="Warning">Something the caller should know, for example a query vector from another model than the index's (then ranked BM25 only).</param>
public sealed record IndexQueryResult(IReadOnlyList<IndexHit> Hits, IndexSearchMode Mode, string? Warning = null)
{
    /// <summary>No hits.</summary>
    public static IndexQueryResult Empty(IndexSearchMode mode) => new([], mode);
}
