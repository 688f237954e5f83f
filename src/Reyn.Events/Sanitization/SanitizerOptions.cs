namespace Reyn.Events.Sanitization;

/// <summary>Limits applied by the <see cref="EventSanitizer"/>.</summary>
public sealed class SanitizerOptions
{
    /// <summary>Longest string value kept, in characters; longer values are cut with a visible marker. Default 500.</summary>
    public int MaxStringLength { get; set; } = 500;

    /// <summary>Largest serialized payload kept, in bytes; beyond it fields are truncated with a marker. Default 16 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Deepest nesting walked; deeper values (and cycles) are replaced with a marker. Default 8.</summary>
    public int MaxDepth { get; set; } = 8;
}
