namespace Reyn.State;

/// <summary>Another process (or another <see cref="FileStateLog"/> in this one) already has the WAL open for writing.</summary>
public sealed class StateLogLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StateLogLockedException(string path, string lockPath, Exception innerException)
        : base($"The WAL '{path}' is already open for writing by another process (lock '{lockPath}' is held). " +
               "Only one writer is allowed: stop the other process, or read the log without writing ('reyn state wal').",
            innerException)
    {
        Path = path;
        LockPath = lockPath;
    }

    /// <summary>The WAL file.</summary>
    public string Path { get; }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }
}
