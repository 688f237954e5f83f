namespace Reyn.Scheduling;

/// <summary>What is known about a job's runs; persisted in <c>&lt;root&gt;/state/cron_status.json</c> so it survives a restart.</summary>
public sealed record CronJobStatus
{
    /// <summary>The status of a run that finished normally.</summary>
    public const string Ok = "ok";

    /// <summary>The status of a run whose runner threw.</summary>
    public const string Error = "error";

    /// <summary>The status of a run cut short because the scheduler stopped.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>When the last run started (UTC).</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary><see cref="Ok"/>, <see cref="Error"/> or <see cref="Cancelled"/>; <see langword="null"/> before the first run.</summary>
    public string? LastStatus { get; init; }

    /// <summary>How long the last run took.</summary>
    public TimeSpan? LastDuration { get; init; }

    /// <summary><c>"&lt;Type&gt;: &lt;message&gt;"</c> of the last failed run; <see langword="null"/> after a successful one.</summary>
    public string? LastError { get; init; }

    /// <summary>The next occurrence the scheduler had armed; a value in the past at start means runs were missed.</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>How many ticks were skipped (a run still in progress, or a misfire under <see cref="MisfirePolicy.Skip"/>).</summary>
    public long SkippedCount { get; init; }

    /// <summary>When the last skip happened.</summary>
    public DateTimeOffset? LastSkippedAt { get; init; }

    /// <summary>Why the last tick was skipped.</summary>
    public string? LastSkipReason { get; init; }
}
