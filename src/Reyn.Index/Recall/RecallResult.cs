namespace Reyn.Index;

/// <summary>The answer of recall: merged hits best first, or a structured error.</summary>
public sealed record RecallResult
{
    /// <summary>Hits from all sources, merged by score and cut to top-k.</summary>
    public IReadOnlyList<IndexHit> Hits { get; init; } = [];

    /// <summary>How the sources were ranked: <c>hybrid</c> (every source), <c>bm25</c> (every source), <c>mixed</c>, or <c>none</c> on error.</summary>
    public string Mode { get; init; } = "none";

    /// <summary>Things the caller should know: an empty source, a model mismatch, an embedding failure.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The error for missing or invalid arguments; null on success.</summary>
    public RecallError? Error { get; init; }

    /// <summary>Whether recall ran.</summary>
    public bool Succeeded => Error is null;
}
