namespace Reyn.Runtime;

/// <summary>
/// <see cref="ReynRuntime.ResolveInterventionAsync"/> was given an id that is not outstanding: it never existed, it was
/// answered already, or its run was discarded. Nothing was recorded.
/// </summary>
public sealed class InterventionNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public InterventionNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InterventionNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InterventionNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The id that was not found.</summary>
    public string? InterventionId { get; init; }
}
