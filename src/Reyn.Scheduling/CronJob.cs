namespace Reyn.Scheduling;

/// <summary>
/// A recurring run of one skill: what to run (<see cref="Skill"/> with <see cref="Input"/>), when
/// (<see cref="Schedule"/> in <see cref="TimeZone"/>) and what to do about runs missed while the scheduler was down
/// (<see cref="Misfire"/>). Jobs are identified by <see cref="Name"/>.
/// </summary>
/// <remarks>
/// A job is handed to <see cref="IJobRunner"/> exactly as configured: the scheduler adds no input, credentials or
/// permissions, so a scheduled skill runs with the same permissions as a direct run.
/// </remarks>
public sealed record CronJob
{
    private static readonly IReadOnlyDictionary<string, object?> NoInput = new Dictionary<string, object?>(0);

    /// <summary>The unique job name (for example <c>index_events_hourly</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The skill to run (for example <c>index_events</c>).</summary>
    public required string Skill { get; init; }

    /// <summary>The cron expression; see <see cref="CronSchedule"/> for the accepted forms.</summary>
    public required string Schedule { get; init; }

    /// <summary>The skill input, a JSON-like object (strings, numbers, booleans, null, nested maps and lists). Default empty.</summary>
    public IReadOnlyDictionary<string, object?> Input { get; init; } = NoInput;

    /// <summary>Whether the job runs. Default <see langword="true"/>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The zone whose wall-clock time <see cref="Schedule"/> is matched against. Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>What to do at start about runs missed while the scheduler was down. Default <see cref="MisfirePolicy.Skip"/>.</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.Skip;

    /// <summary>
    /// Where the job came from: <see cref="CronJobOrigin.Startup"/> (restart-only config) or
    /// <see cref="CronJobOrigin.Runtime"/> (hot-reloadable config); a runtime job shadows a startup job of the same name.
    /// </summary>
    public CronJobOrigin Origin { get; init; } = CronJobOrigin.Startup;

    /// <summary>
    /// Set by a config loader that keeps a job it could not accept (a bad expression, an unknown time zone): the job
    /// is listed but never runs, and this says why. <see langword="null"/> for a well-formed job.
    /// </summary>
    public string? DisabledReason { get; init; }
}
