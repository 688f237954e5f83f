namespace Reyn.Runtime;

/// <summary>reyn.yaml is invalid. The message names the file, the line and the key, and what was expected.</summary>
public sealed class ReynConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReynConfigException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReynConfigException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReynConfigException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
