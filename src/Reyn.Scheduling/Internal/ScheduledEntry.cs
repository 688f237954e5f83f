namespace Reyn.Scheduling.Internal;

/// <summary>One armed job: its parsed schedule, its timer and the occurrence the timer waits for.</summary>
internal sealed class ScheduledEntry(CronJob job, CronSchedule schedule)
{
    public CronJob Job { get; } = job;

    public CronSchedule Schedule { get; } = schedule;

    public ITimer? Timer { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public bool Retired { get; private set; }

    public void Retire()
    {
        Retired = true;
        Timer?.Dispose();
        Timer = null;
    }
}
