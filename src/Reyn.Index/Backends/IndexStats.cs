namespace Reyn.Index;

/// <summary>What a source holds.</summary>
/// <param name="Source">The source name.</param>
/// <param name="ChunkCount">Stored chunks (0 when the source does not exist).</param>
/// <param name="VectorCount">Chunks that carry a vector.</param>
/// <param name="EmbeddingModel">The model the vectors were made with, or null (BM25 only).</param>
/// <param name="LastIndexed">When the source was last written, or null.</param>
public sealed record IndexStats(string Source, long ChunkCount, long VectorCount, string? EmbeddingModel, DateTimeOffset? LastIndexed)
{
    /// <summary>Whether the source holds any chunk.</summary>
    public bool Exists => ChunkCount > 0;
}
