using Reyn.Scheduling;

namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// <see cref="ICronJobTable"/> over the <see cref="CronScheduler"/>: upserts runtime jobs and removes only the runtime
/// layer, so startup (<c>reyn.yaml</c>) jobs can never be removed and a shadowed startup job is restored.
/// </summary>
public sealed class CronSchedulerJobTable : ICronJobTable
{
    private readonly CronScheduler _scheduler;

    /// <summary>Wraps <paramref name="scheduler"/>.</summary>
    public CronSchedulerJobTable(CronScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
    }

    /// <inheritdoc />
    public ValueTask UpsertAsync(CronJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        _scheduler.AddOrReplace(job.Origin == CronJobOrigin.Runtime ? job : job with { Origin = CronJobOrigin.Runtime });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_scheduler.Remove(name, CronJobOrigin.Runtime));
}
