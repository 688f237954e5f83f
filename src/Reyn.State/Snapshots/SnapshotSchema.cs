namespace Reyn.State;

/// <summary>The schema version every snapshot carries.</summary>
public static class SnapshotSchema
{
    /// <summary>The version this library reads and writes. A file with any other version is refused.</summary>
    public const int Version = 1;
}
