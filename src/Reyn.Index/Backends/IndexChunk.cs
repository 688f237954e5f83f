namespace Reyn.Index;

/// <summary>One unit of indexed text with its metadata and, optionally, its embedding.</summary>
public sealed record IndexChunk
{
    /// <summary>Creates a chunk; the content hash is the SHA-256 of <paramref name="text"/> unless given.</summary>
    /// <param name="id">Stable id; upserting the same id with new text replaces the chunk.</param>
    /// <param name="sourcePath">Where the text came from (a file path, a run log); used by <see cref="IIndexBackend.DeleteAsync"/>.</param>
    /// <param name="text">The text that is searched and returned.</param>
    /// <param name="metadata">Filterable metadata.</param>
    /// <param name="contentHash">Lower-case hex SHA-256 of the text; computed when null.</param>
    public IndexChunk(string id, string sourcePath, string text, ChunkMetadata? metadata = null, string? contentHash = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(text);
        Id = id;
        SourcePath = sourcePath;
        Text = text;
        Metadata = metadata ?? ChunkMetadata.Empty;
        ContentHash = string.IsNullOrEmpty(contentHash) ? Index.ContentHash.Of(text) : contentHash;
    }

    /// <summary>Stable id.</summary>
    public string Id { get; }

    /// <summary>Where the text came from.</summary>
    public string SourcePath { get; }

    /// <summary>The searchable text.</summary>
    public string Text { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Text"/>.</summary>
    public string ContentHash { get; }

    /// <summary>Filterable metadata.</summary>
    public ChunkMetadata Metadata { get; }

    /// <summary>The embedding of <see cref="Text"/>, or null (BM25 only).</summary>
    public ReadOnlyMemory<float>? Vector { get; init; }

    /// <summary>The model that produced <see cref="Vector"/>; required with a vector.</summary>
    public string? EmbeddingModel { get; init; }
}
