namespace Reyn.State;

/// <summary>
/// The WAL could not write or sync after every retry and is latched failed: no record is acknowledged any more, and
/// every later append throws this exception. Records appended before the failure and not acknowledged may be missing.
/// </summary>
public sealed class StateLogFailedException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public StateLogFailedException(string path, int attempts, Exception innerException)
        : base($"The WAL '{path}' is latched failed: writing or syncing failed {attempts} times ({innerException.Message}). " +
               "No further records are accepted and nothing unacknowledged was reported durable. Fix the disk (space, permissions, device errors), then restart the process to reopen the log.",
            innerException)
    {
        Path = path;
    }

    /// <summary>The WAL file.</summary>
    public string Path { get; }
}
