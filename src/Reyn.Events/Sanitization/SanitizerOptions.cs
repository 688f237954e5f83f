namespace Reyn.Events.Sanitization;

/// <summary>Limits applied by the <see cref="EventSanitizer"/>.</summary>
public sealed class SanitizerOptions
{
    /// <summary>Smallest accepted <see cref="MaxStringLength"/> (room for the truncation marker).</summary>
    public const int MinStringLength = 32;

    /// <summary>Smallest accepted <see cref="MaxPayloadBytes"/>.</summary>
    public const int MinPayloadBytes = 1024;

    /// <summary>
    /// Longest string value kept, in UTF-16 characters; a longer value is cut and ends with a visible
    /// <c>...[truncated N chars]</c> marker, the whole result fitting in this length. Default 500; at least 32.
    /// </summary>
    public int MaxStringLength { get; set; } = 500;

    /// <summary>
    /// Largest serialized <c>data</c> object kept, in UTF-8 bytes; beyond it the largest fields are replaced with
    /// <c>[truncated: N bytes]</c> and a <c>_truncated</c> field says so. Default 16 KiB; at least 1024.
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Deepest nesting walked; deeper values become <c>[depth limit]</c> and cycles <c>[circular]</c>. Default 8; 1 to 32.</summary>
    public int MaxDepth { get; set; } = 8;

    /// <summary>Returns what is wrong with the limits (one message per problem, naming the option), or an empty list.</summary>
    public IReadOnlyList<string> Validate(string prefix = "SanitizerOptions")
    {
        var errors = new List<string>();
        if (MaxStringLength < MinStringLength)
        {
            errors.Add($"{prefix}.MaxStringLength must be at least {MinStringLength} characters (got {MaxStringLength}); the default is 500.");
        }

        if (MaxPayloadBytes < MinPayloadBytes)
        {
            errors.Add($"{prefix}.MaxPayloadBytes must be at least {MinPayloadBytes} bytes (got {MaxPayloadBytes}); the default is 16384.");
        }

        if (MaxDepth is < 1 or > Serialization.JsonValueWriter.MaxDepth)
        {
            errors.Add($"{prefix}.MaxDepth must be between 1 and {Serialization.JsonValueWriter.MaxDepth} (got {MaxDepth}); the default is 8.");
        }

        return errors;
    }
}
