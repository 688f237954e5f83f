namespace Reyn.Cli.Infrastructure;

/// <summary>A user error: printed as one line on stderr (no stack trace) and exit code 2.</summary>
public sealed class CliUserException : Exception
{
    /// <summary>Creates the error with a message that says what is wrong and how to fix it.</summary>
    public CliUserException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with an inner exception.</summary>
    public CliUserException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
