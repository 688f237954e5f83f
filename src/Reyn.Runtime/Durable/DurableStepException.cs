namespace Reyn.Runtime;

/// <summary>
/// The WAL could not record a step or a run transition. The run stops cleanly (status <c>failed</c>, reason
/// <c>wal_failure</c>): a side-effect op whose <c>step_started</c> was not durable is never run.
/// </summary>
public sealed class DurableStepException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableStepException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DurableStepException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DurableStepException()
    {
    }
}
