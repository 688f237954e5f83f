using Reyn.Events.Jsonl;
using Reyn.Events.Sanitization;

namespace Reyn.Events;

/// <summary>Options of <c>AddReynEvents</c>; validated when the host starts (see <see cref="Validate"/>).</summary>
public sealed class ReynEventsOptions
{
    /// <summary>The <c>.reyn/</c> root; events go to <c>&lt;root&gt;/events/</c>. Default: <c>.reyn</c> under the current directory.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>The agent name stamped on events of the host's root <see cref="EventLog"/>. Default <c>reyn/&lt;host name&gt;</c>.</summary>
    public string Agent { get; set; } = "reyn/" + Environment.MachineName;

    /// <summary>Sanitizer limits (string cap 500 chars, payload cap 16 KiB, depth 8 by default).</summary>
    public SanitizerOptions Sanitizer { get; } = new();

    /// <summary>The JSONL audit log (enabled by default; queue, batch, rotation and open-file limits).</summary>
    public JsonlAuditSinkOptions Jsonl { get; } = new();

    /// <summary>The events directory: <c>&lt;RootDirectory&gt;/events</c> as a full path.</summary>
    public string EventsDirectory => Path.GetFullPath(Path.Combine(RootDirectory, "events"));

    /// <summary>Returns what is wrong with the options, one message per problem naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            errors.Add("ReynEventsOptions.RootDirectory must name a directory (for example \".reyn\").");
        }
        else if (RootDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"ReynEventsOptions.RootDirectory contains a character that is not allowed in a path: \"{RootDirectory}\".");
        }

        if (string.IsNullOrWhiteSpace(Agent))
        {
            errors.Add("ReynEventsOptions.Agent must not be empty (the default is \"reyn/<host name>\").");
        }

        errors.AddRange(Sanitizer.Validate("ReynEventsOptions.Sanitizer"));
        errors.AddRange(Jsonl.Validate("ReynEventsOptions.Jsonl"));
        return errors;
    }
}
