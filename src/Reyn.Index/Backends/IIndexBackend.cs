namespace Reyn.Index;

/// <summary>
/// Stores chunks per source (<c>"events"</c>, <c>"docs"</c>, ...) and answers top-k queries over them.
/// </summary>
/// <remarks>
/// <para>Deliberately small: a custom backend implements these five members and registers itself with
/// <c>services.AddReynIndex().UseBackend&lt;T&gt;()</c>. Optional features are separate interfaces
/// (<see cref="IContentHashLookup"/>).</para>
/// <para>Contract (checked by the shared contract tests): re-upserting a chunk whose content hash is already stored
/// writes nothing; upserting an existing id with new text replaces it; a query over a source that was never written
/// returns no hits rather than throwing; an empty query text returns the chunks matching the filter, newest first.</para>
/// </remarks>
public interface IIndexBackend
{
    /// <summary>Writes chunks to <paramref name="source"/>; chunks whose content hash is already stored are skipped.</summary>
    ValueTask<UpsertResult> UpsertAsync(string source, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>Deletes every chunk of <paramref name="source"/>, or only those of <paramref name="sourcePath"/> when given.</summary>
    /// <returns>The number of chunks deleted.</returns>
    ValueTask<int> DeleteAsync(string source, string? sourcePath = null, CancellationToken cancellationToken = default);

    /// <summary>Answers a top-k query: BM25 over the text, fused with vector similarity when the query carries a vector the backend can use.</summary>
    ValueTask<IndexQueryResult> QueryAsync(string source, IndexQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts and model information for <paramref name="source"/> (zeros when it does not exist).</summary>
    ValueTask<IndexStats> GetStatsAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="source"/> entirely.</summary>
    /// <returns>The number of chunks dropped (0 when the source did not exist).</returns>
    ValueTask<long> DropAsync(string source, CancellationToken cancellationToken = default);
}
