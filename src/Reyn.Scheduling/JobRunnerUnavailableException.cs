namespace Reyn.Scheduling;

/// <summary>Thrown by <see cref="UnavailableJobRunner"/>: there is no runtime that can run the job's skill.</summary>
public sealed class JobRunnerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobRunnerUnavailableException(string message) : base(message)
    {
    }
}
