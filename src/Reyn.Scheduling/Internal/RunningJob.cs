namespace Reyn.Scheduling.Internal;

/// <summary>A run in progress; at most one per job name (a job never overlaps itself).</summary>
internal sealed class RunningJob(CronJob job, DateTimeOffset startedAt)
{
    public CronJob Job { get; } = job;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public Task Completion { get; set; } = Task.CompletedTask;
}
