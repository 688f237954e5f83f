namespace Reyn.Events;

/// <summary>An event lacks a required audit field or has a type outside the catalog (see <see cref="AuditRequirements"/>).</summary>
public sealed class AuditRequirementException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditRequirementException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AuditRequirementException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AuditRequirementException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
