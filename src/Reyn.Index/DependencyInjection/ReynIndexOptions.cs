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

    /// <summary>The index directory: <c>&lt;RootDirectory&gt;/index</c>.</summary>
    public string IndexDirectory => Path.Combine(RootDirectory, "index");
}
