namespace Reyn.Index;

/// <summary>How a query was answered.</summary>
public enum IndexSearchMode
{
    /// <summary>No text: metadata filter only, newest first.</summary>
    Filter = 0,

    /// <summary>BM25 full-text ranking only.</summary>
    Bm25 = 1,

    /// <summary>BM25 fused with vector similarity (reciprocal rank fusion).</summary>
    Hybrid = 2,
}
