namespace Reyn.Events.Sanitization;

/// <summary>
/// Removes secrets from event payloads before anything is persisted: secret-named keys, credential URLs, token
/// shapes, secret assignments; caps string and payload sizes. Runs in linear time.
/// </summary>
public sealed class EventSanitizer
{
    private readonly SanitizerOptions _options;

    /// <summary>Creates a sanitizer with the given limits.</summary>
    public EventSanitizer(SanitizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The limits in force.</summary>
    public SanitizerOptions Options => _options;

    /// <summary>Sanitizes <paramref name="data"/> in place.</summary>
    public void Sanitize(EventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // Implemented with issue #2 (sanitizer rules); see tests/Reyn.Events.Tests/Sanitization.
    }
}
