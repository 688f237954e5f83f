namespace Reyn.Index;

/// <summary>One ranked result of a query.</summary>
/// <param name="Source">The source it came from.</param>
/// <param name="Id">The chunk id.</param>
/// <param name="SourcePath">Where the text came from.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Metadata">The chunk metadata.</param>
/// <param name="Score">Higher is better: BM25 relevance, or the reciprocal-rank-fusion score in hybrid mode.</param>
public sealed record IndexHit(string Source, string Id, string SourcePath, string Text, ChunkMetadata Metadata, double Score);
