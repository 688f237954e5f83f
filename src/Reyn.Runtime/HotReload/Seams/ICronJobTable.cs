namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The live cron jobs the <c>cron</c> seam edits (a cron scheduler, or an adapter over one). Jobs are identified by name.
/// </summary>
public interface ICronJobTable
{
    /// <summary>Adds <paramref name="job"/>, or replaces the job with the same name.</summary>
    ValueTask UpsertAsync(CronJobDefinition job, CancellationToken cancellationToken);

    /// <summary>Unschedules the job named <paramref name="name"/>; returns whether it existed.</summary>
    ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken);
}
