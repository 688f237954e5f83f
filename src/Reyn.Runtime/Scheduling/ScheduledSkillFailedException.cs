namespace Reyn.Runtime;

/// <summary>A scheduled skill run did not succeed (the scheduler records the job as <c>error</c> with this message).</summary>
public sealed class ScheduledSkillFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScheduledSkillFailedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ScheduledSkillFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ScheduledSkillFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
