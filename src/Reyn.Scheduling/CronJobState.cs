namespace Reyn.Scheduling;

/// <summary>A job as the scheduler sees it: whether it can run, why not, and when it runs next.</summary>
/// <param name="Job">The job as configured.</param>
/// <param name="DisabledReason">Why the job does not run (disabled, bad expression, unknown zone); <see langword="null"/> when active.</param>
/// <param name="NextRunAt">The next occurrence (UTC); <see langword="null"/> when the job does not run.</param>
public sealed record CronJobState(CronJob Job, string? DisabledReason, DateTimeOffset? NextRunAt)
{
    /// <summary>Whether the job is scheduled.</summary>
    public bool IsActive => DisabledReason is null;

    /// <summary>Works out the state of <paramref name="job"/> at <paramref name="now"/>.</summary>
    public static CronJobState Evaluate(CronJob job, DateTimeOffset now) => Evaluate(job, now, out _);

    internal static CronJobState Evaluate(CronJob job, DateTimeOffset now, out CronSchedule? schedule)
    {
        ArgumentNullException.ThrowIfNull(job);
        schedule = null;
        if (job.DisabledReason is { } configured)
        {
            return new CronJobState(job, configured, null);
        }

        if (!CronSchedule.TryParse(job.Schedule, out schedule, out var error))
        {
            return new CronJobState(job, "invalid schedule: " + error, null);
        }

        if (!job.Enabled)
        {
            return new CronJobState(job, "disabled (enabled: false)", null);
        }

        return new CronJobState(job, null, schedule.GetNextOccurrence(now, job.TimeZone));
    }

    /// <summary>
    /// The jobs in effect: a <see cref="CronJobOrigin.Runtime"/> job replaces the <see cref="CronJobOrigin.Startup"/>
    /// job of the same name (in the startup job's position); within one origin the last job of a name wins.
    /// </summary>
    public static IReadOnlyList<CronJob> Effective(IEnumerable<CronJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var order = new List<string>();
        var startup = new Dictionary<string, CronJob>(StringComparer.Ordinal);
        var runtime = new Dictionary<string, CronJob>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (!startup.ContainsKey(job.Name) && !runtime.ContainsKey(job.Name))
            {
                order.Add(job.Name);
            }

            (job.Origin == CronJobOrigin.Runtime ? runtime : startup)[job.Name] = job;
        }

        var result = new List<CronJob>(order.Count);
        foreach (var name in order)
        {
            result.Add(runtime.TryGetValue(name, out var job) ? job : startup[name]);
        }

        return result;
    }
}
