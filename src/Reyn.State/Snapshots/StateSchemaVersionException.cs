namespace Reyn.State;

/// <summary>
/// A snapshot was written by another schema version. In-flight state is not migrated: the remedy is
/// <c>reyn state reset --yes</c>, which deletes the WAL and the snapshots and keeps the audit logs in <c>.reyn/events/</c>.
/// </summary>
public sealed class StateSchemaVersionException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="foundVersion"/> is <see langword="null"/> when the file has no version.</summary>
    public StateSchemaVersionException(string path, int? foundVersion, int expectedVersion)
        : base($"The snapshot '{path}' has schema version {(foundVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(missing)")}, " +
               $"but this Reyn.State reads schema version {expectedVersion}. In-flight state cannot be migrated between versions: " +
               "run 'reyn state reset --yes' to delete the in-flight state (the WAL and every snapshot), then restart. " +
               "Audit logs in .reyn/events/ are kept.")
    {
        Path = path;
        FoundVersion = foundVersion;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The snapshot file.</summary>
    public string Path { get; }

    /// <summary>The version in the file, or <see langword="null"/> when it has none.</summary>
    public int? FoundVersion { get; }

    /// <summary>The version this library reads and writes.</summary>
    public int ExpectedVersion { get; }
}
