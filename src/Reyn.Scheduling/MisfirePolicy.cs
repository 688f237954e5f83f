namespace Reyn.Scheduling;

/// <summary>What the scheduler does at start about occurrences a job missed while the scheduler was not running.</summary>
public enum MisfirePolicy
{
    /// <summary>Skip the missed occurrences (recorded as a <c>cron_job_skipped</c> event) and wait for the next one. The default.</summary>
    Skip = 0,

    /// <summary>Run the job once right away to catch up, however many occurrences were missed, then follow the schedule.</summary>
    RunOnce = 1,
}
