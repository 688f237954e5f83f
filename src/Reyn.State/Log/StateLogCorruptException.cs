namespace Reyn.State;

/// <summary>
/// The WAL has a corrupt record with valid records after it. The log is not opened (nothing is cut or lost);
/// <c>reyn state verify</c> lists every problem and <c>reyn state repair</c> keeps every valid record.
/// </summary>
public sealed class StateLogCorruptException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/> with its first bad byte offset.</summary>
    public StateLogCorruptException(string path, long offset, string problem)
        : base($"The WAL '{path}' has a corrupt record at byte offset {offset} ({problem}) followed by valid records, so it was not opened and nothing was changed. " +
               "Run 'reyn state verify' to list every problem, then 'reyn state repair' to keep every valid record (the bad bytes are moved to a dated file next to the log).")
    {
        Path = path;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The WAL file.</summary>
    public string Path { get; }

    /// <summary>The byte offset of the first corrupt record.</summary>
    public long Offset { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
