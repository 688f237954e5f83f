namespace Reyn.Events.Sanitization;

/// <summary>What <see cref="EventSanitizer.Sanitize"/> changed in a payload.</summary>
[Flags]
public enum SanitizationChanges
{
    /// <summary>Nothing was changed.</summary>
    None = 0,
    /// <summary>A secret-named field or a secret inside a string was replaced with <c>[redacted]</c>.</summary>
    Redacted = 1,
    /// <summary>A string longer than <see cref="SanitizerOptions.MaxStringLength"/> was cut.</summary>
    StringTruncated = 2,
    /// <summary>The payload exceeded <see cref="SanitizerOptions.MaxPayloadBytes"/>; its largest fields were cut.</summary>
    PayloadTruncated = 4,
    /// <summary>A cycle or nesting beyond <see cref="SanitizerOptions.MaxDepth"/> was replaced with a marker.</summary>
    StructureCut = 8,
    /// <summary>Invalid UTF-16 (a lone surrogate) was replaced with U+FFFD.</summary>
    InvalidTextReplaced = 16,
    /// <summary>A value that could not be turned into text (its <c>ToString</c> threw) was replaced with a marker.</summary>
    UnserializableValue = 32,
}
