namespace Reyn.Index;

/// <summary>Vectors of one embedding model were written to a source built with another; nothing was written.</summary>
public sealed class IndexModelMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public IndexModelMismatchException(string source, string indexModel, string chunkModel)
        : base($"Index source '{source}' was built with embedding model '{indexModel}', but these chunks were embedded with '{chunkModel}'. " +
               $"Nothing was written. Rebuild the source with mode 'replace' (reyn index events --mode replace) or configure the '{indexModel}' generator.")
    {
        IndexSource = source;
        IndexModel = indexModel;
        ChunkModel = chunkModel;
    }

    /// <summary>The source.</summary>
    public string IndexSource { get; }

    /// <summary>The model stored in the index.</summary>
    public string IndexModel { get; }

    /// <summary>The model of the rejected chunks.</summary>
    public string ChunkModel { get; }
}
