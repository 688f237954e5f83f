namespace Reyn.Index;

/// <summary>Options of <c>AddReynIndex</c>.</summary>
public sealed class ReynIndexOptions
{
    /// <summary>The <c>.reyn/</c> root: events are read from <c>&lt;root&gt;/events</c>, indexes live in <c>&lt;root&gt;/index</c>. Default <c>.reyn</c>.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>The source index_events writes and reports read. Default <c>events</c>.</summary>
    public string EventsSource { get; set; } = EventIndexer.DefaultSource;

    /// <summary>Chunks per write and per embedding call. Default 256 (1-10,000).</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>The <c>k</c> of reciprocal rank fusion in the SQLite backend. Default 60.</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>
    /// Whether the SQLite backend ranks BM25 in memory (same hits, order and scores as FTS5's <c>bm25()</c>, many times
    /// faster on large sources; see <see cref="SqliteIndexBackend.InMemoryBm25"/> for the memory it holds). Default true.
    /// </summary>
    public bool InMemoryBm25 { get; set; } = true;

    /// <summary>Sources with more chunks than this are ranked by FTS5 even when <see cref="InMemoryBm25"/> is on. Default 1,000,000.</summary>
    public int InMemoryBm25MaxChunks { get; set; } = 1_000_000;

    /// <summary>The index directory: <c>&lt;RootDirectory&gt;/index</c>.</summary>
    public string IndexDirectory => Path.Combine(RootDirectory, "index");
}
