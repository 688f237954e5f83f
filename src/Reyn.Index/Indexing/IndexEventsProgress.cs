namespace Reyn.Index;

/// <summary>Progress of a running index_events pass, reported after each file and each written batch.</summary>
/// <param name="FilesDone">Files processed so far.</param>
/// <param name="FilesTotal">Files found.</param>
/// <param name="IndexedRuns">Runs written so far.</param>
public readonly record struct IndexEventsProgress(int FilesDone, int FilesTotal, int IndexedRuns);
