namespace Reyn.Events;

/// <summary>Options of <c>AddReynEvents</c>.</summary>
public sealed class ReynEventsOptions
{
    /// <summary>The <c>.reyn/</c> root; events go to <c>&lt;root&gt;/events/</c>. Default: <c>.reyn</c> under the current directory.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>The agent name stamped on events of the host's root <see cref="EventLog"/>. Default <c>reyn/&lt;host name&gt;</c>.</summary>
    public string Agent { get; set; } = "reyn/" + Environment.MachineName;

    /// <summary>Sanitizer limits (string cap 500 chars, payload cap 16 KiB by default).</summary>
    public Sanitization.SanitizerOptions Sanitizer { get; } = new();
}
