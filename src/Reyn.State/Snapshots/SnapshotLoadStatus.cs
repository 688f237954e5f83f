namespace Reyn.State;

/// <summary>How a snapshot was obtained.</summary>
public enum SnapshotLoadStatus
{
    /// <summary>No file existed: the snapshot was built from the WAL alone.</summary>
    Missing = 0,

    /// <summary>The file was read (and the WAL replayed forward from its <c>applied_seq</c>).</summary>
    Loaded = 1,

    /// <summary>The file was not valid JSON: it was moved aside and the snapshot rebuilt from the WAL (see <see cref="SnapshotLoadResult{T}.Problem"/>).</summary>
    Rebuilt = 2,
}

/// <summary>A loaded snapshot and how it was obtained.</summary>
/// <param name="Snapshot">The snapshot, brought up to the WAL head.</param>
/// <param name="Status">Whether it was read, missing or rebuilt.</param>
/// <param name="Path">The snapshot file.</param>
/// <param name="Problem">Why it was rebuilt, or <see langword="null"/>.</param>
/// <param name="AsidePath">Where the unreadable file was moved, or <see langword="null"/>.</param>
public sealed record SnapshotLoadResult<T>(T Snapshot, SnapshotLoadStatus Status, string Path, string? Problem = null, string? AsidePath = null);
