namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The <c>cron</c> seam: adds or replaces the jobs of <c>.reyn/cron.yaml</c> by name and unschedules runtime jobs that
/// are no longer in it (removal-diff). Startup jobs (<c>reyn.yaml</c>) are never removed: when a runtime job that
/// shadowed a startup job of the same name disappears, the startup job is restored.
/// </summary>
/// <remarks>
/// The set of runtime job names is seeded from the IN-set read at boot, so only jobs that came from
/// <c>.reyn/cron.yaml</c> are ever candidates for removal. Unchanged jobs are left alone (their schedule state is kept).
/// </remarks>
public sealed class CronReloadSeam : IReloadSeam
{
    private readonly ICronJobTable _table;
    private readonly Dictionary<string, CronJobDefinition> _startup;
    private readonly Dictionary<string, CronJobDefinition> _runtime;

    /// <summary>Creates the seam.</summary>
    /// <param name="table">The live jobs.</param>
    /// <param name="startupJobs">The jobs of <c>reyn.yaml</c> (restart-only).</param>
    /// <param name="boot">The IN-set read at boot; its jobs are what <paramref name="table"/> already runs (see <see cref="BootJobs"/>).</param>
    public CronReloadSeam(ICronJobTable table, IEnumerable<CronJobDefinition> startupJobs, InSetSnapshot boot)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(startupJobs);
        ArgumentNullException.ThrowIfNull(boot);
        _table = table;
        _startup = new Dictionary<string, CronJobDefinition>(StringComparer.Ordinal);
        foreach (var job in startupJobs)
        {
            _startup[job.Name] = job;
        }

        _runtime = boot.Cron.Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Name => ReloadSeamNames.Cron;

    /// <summary>Names of the jobs that came from <c>.reyn/cron.yaml</c> (the only removable ones).</summary>
    public IReadOnlyCollection<string> RuntimeJobNames => _runtime.Keys.ToArray();

    /// <summary>
    /// The jobs to schedule at boot: startup jobs, with runtime jobs of the same name winning, then the other runtime jobs.
    /// </summary>
    public static IReadOnlyList<CronJobDefinition> BootJobs(IEnumerable<CronJobDefinition> startupJobs, InSetSnapshot boot)
    {
        ArgumentNullException.ThrowIfNull(startupJobs);
        ArgumentNullException.ThrowIfNull(boot);
        var runtime = boot.Cron.Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var result = new List<CronJobDefinition>();
        foreach (var job in startupJobs)
        {
            result.Add(runtime.Remove(job.Name, out var shadow) ? shadow : job);
        }

        result.AddRange(boot.Cron.Jobs.Where(j => runtime.ContainsKey(j.Name)));
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var wanted = snapshot.Cron.Jobs;
        var wantedNames = new HashSet<string>(wanted.Select(j => j.Name), StringComparer.Ordinal);
        var changed = false;

        foreach (var name in _runtime.Keys.Where(n => !wantedNames.Contains(n)).ToArray())
        {
            if (_startup.TryGetValue(name, out var startupJob))
            {
                await _table.UpsertAsync(startupJob, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            }

            _runtime.Remove(name);
            changed = true;
        }

        foreach (var job in wanted)
        {
            if (_runtime.TryGetValue(job.Name, out var current) && current == job)
            {
                continue;
            }

            await _table.UpsertAsync(job, cancellationToken).ConfigureAwait(false);
            _runtime[job.Name] = job;
            changed = true;
        }

        return changed;
    }
}
