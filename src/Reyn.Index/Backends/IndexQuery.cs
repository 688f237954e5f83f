namespace Reyn.Index;

/// <summary>A top-k query against one source.</summary>
public sealed record IndexQuery
{
    /// <summary>Creates a query.</summary>
    /// <param name="text">Free text ranked by BM25; empty returns the chunks matching the filter, newest first.</param>
    /// <param name="topK">How many hits to return (at least 1).</param>
    public IndexQuery(string text, int topK = 10)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        Text = text;
        TopK = topK;
    }

    /// <summary>The query text.</summary>
    public string Text { get; }

    /// <summary>How many hits to return.</summary>
    public int TopK { get; }

    /// <summary>Metadata filters.</summary>
    public IndexFilter Filter { get; init; } = IndexFilter.None;

    /// <summary>The embedding of <see cref="Text"/>, for hybrid ranking; null for BM25 only.</summary>
    public ReadOnlyMemory<float>? Vector { get; init; }

    /// <summary>The model that produced <see cref="Vector"/>. A backend must not compare it with vectors of another model.</summary>
    public string? EmbeddingModel { get; init; }
}
