using Reyn.Scheduling;

namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The live cron jobs the <c>cron</c> seam edits: <see cref="CronSchedulerJobTable"/> over the
/// <see cref="CronScheduler"/>, or a host's own. Jobs are identified by name; the seam only ever touches
/// <see cref="CronJobOrigin.Runtime"/> jobs.
/// </summary>
public interface ICronJobTable
{
    /// <summary>Adds the runtime <paramref name="job"/>, or replaces the runtime job of the same name.</summary>
    ValueTask UpsertAsync(CronJob job, CancellationToken cancellationToken);

    /// <summary>
    /// Unschedules the runtime job named <paramref name="name"/>; a startup job of the same name (which it shadowed)
    /// takes effect again. Returns whether a runtime job existed.
    /// </summary>
    ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken);
}
