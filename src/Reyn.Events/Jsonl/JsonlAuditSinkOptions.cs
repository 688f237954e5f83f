namespace Reyn.Events.Jsonl;

/// <summary>Options of the <see cref="JsonlAuditSink"/> (under <c>ReynEventsOptions.Jsonl</c>).</summary>
public sealed class JsonlAuditSinkOptions
{
    /// <summary>Whether <c>AddReynEvents</c> registers the JSONL audit log. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Events waiting for the background writer; beyond this, new events are dropped and counted (the emitter never
    /// waits). Default 65,536; at least 1.
    /// </summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Most events the writer turns into one write per file. Default 512; at least 1.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// A session file at or above this size is closed and a new one (with a time suffix) is opened. Default 10 MiB;
    /// 0 disables size rotation. Run files never rotate (one run, one file).
    /// </summary>
    public long SessionFileMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>A session file older than this is rotated. Default 24 hours; <see cref="TimeSpan.Zero"/> disables age rotation.</summary>
    public TimeSpan SessionFileMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether a session file is rotated when the local date of its events changes. Default <see langword="true"/>.</summary>
    public bool RotateSessionFilesDaily { get; set; } = true;

    /// <summary>Most files kept open at once; the least recently written is closed beyond it. Default 32; at least 1.</summary>
    public int MaxOpenFiles { get; set; } = 32;

    /// <summary>The file name of events that carry neither <c>run_id</c> nor <c>session_id</c>. Default <c>host</c>.</summary>
    public string HostSessionName { get; set; } = "host";

    /// <summary>Returns what is wrong with the options (one message per problem, naming the option), or an empty list.</summary>
    public IReadOnlyList<string> Validate(string prefix = "JsonlAuditSinkOptions")
    {
        var errors = new List<string>();
        if (QueueCapacity < 1)
        {
            errors.Add($"{prefix}.QueueCapacity must be at least 1 (got {QueueCapacity}); the default is 65536.");
        }

        if (MaxBatchSize < 1)
        {
            errors.Add($"{prefix}.MaxBatchSize must be at least 1 (got {MaxBatchSize}); the default is 512.");
        }

        if (SessionFileMaxBytes < 0)
        {
            errors.Add($"{prefix}.SessionFileMaxBytes must be 0 (no size rotation) or positive (got {SessionFileMaxBytes}).");
        }

        if (SessionFileMaxAge < TimeSpan.Zero)
        {
            errors.Add($"{prefix}.SessionFileMaxAge must be TimeSpan.Zero (no age rotation) or positive (got {SessionFileMaxAge}).");
        }

        if (MaxOpenFiles < 1)
        {
            errors.Add($"{prefix}.MaxOpenFiles must be at least 1 (got {MaxOpenFiles}); the default is 32.");
        }

        if (string.IsNullOrWhiteSpace(HostSessionName) || JsonlPaths.SafeFileStem(HostSessionName) != HostSessionName)
        {
            errors.Add($"{prefix}.HostSessionName must be a plain file name of [A-Za-z0-9_.-] (got \"{HostSessionName}\"); the default is \"host\".");
        }

        return errors;
    }
}
