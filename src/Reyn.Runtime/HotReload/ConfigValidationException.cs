namespace Reyn.Runtime.HotReload;

/// <summary>
/// Thrown where a config layer must load or the caller must stop (for example the trusted startup hook layer at
/// boot). Carries every <see cref="ConfigError"/> found, each with its file and line.
/// </summary>
public sealed class ConfigValidationException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public ConfigValidationException(IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message and no structured errors.</summary>
    public ConfigValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ConfigValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception without details.</summary>
    public ConfigValidationException()
        : this("The configuration is invalid.")
    {
    }

    /// <summary>The problems found, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "The configuration is invalid.",
            1 => "Invalid configuration: " + errors[0],
            _ => $"Invalid configuration ({errors.Count} problems): " + string.Join("; ", errors),
        };
    }
}
