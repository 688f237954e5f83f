using Reyn.Scheduling;

namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The <c>cron</c> seam: adds or replaces the jobs of <c>.reyn/cron.yaml</c> by name and unschedules runtime jobs that
/// are no longer in it (removal-diff). Only runtime jobs are ever removed, so startup (<c>reyn.yaml</c>) jobs never
/// are; a startup job that a removed runtime job shadowed takes effect again (see <see cref="ICronJobTable.RemoveAsync"/>).
/// </summary>
/// <remarks>
/// The set of runtime job names is seeded from the IN-set read at boot (whose jobs the host scheduled as runtime
/// jobs). Unchanged jobs are left alone, so their timers and status are kept.
/// </remarks>
public sealed class CronReloadSeam : IReloadSeam
{
    private readonly ICronJobTable _table;
    private readonly Dictionary<string, CronJob> _runtime;

    /// <summary>Creates the seam.</summary>
    /// <param name="table">The live jobs.</param>
    /// <param name="boot">The IN-set read at boot; its jobs are the runtime jobs <paramref name="table"/> already runs.</param>
    public CronReloadSeam(ICronJobTable table, InSetSnapshot boot)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(boot);
        _table = table;
        _runtime = boot.Cron.Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Name => ReloadSeamNames.Cron;

    /// <summary>Names of the jobs that came from <c>.reyn/cron.yaml</c> (the only removable ones).</summary>
    public IReadOnlyCollection<string> RuntimeJobNames => _runtime.Keys.ToArray();

    /// <inheritdoc />
    public async ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var wanted = snapshot.Cron.Jobs;
        var wantedNames = new HashSet<string>(wanted.Select(j => j.Name), StringComparer.Ordinal);
        var changed = false;

        foreach (var name in _runtime.Keys.Where(n => !wantedNames.Contains(n)).ToArray())
        {
            await _table.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            _runtime.Remove(name);
            changed = true;
        }

        foreach (var job in wanted)
        {
            if (_runtime.TryGetValue(job.Name, out var current) && SameJob(current, job))
            {
                continue;
            }

            var runtimeJob = job.Origin == CronJobOrigin.Runtime ? job : job with { Origin = CronJobOrigin.Runtime };
            await _table.UpsertAsync(runtimeJob, cancellationToken).ConfigureAwait(false);
            _runtime[job.Name] = runtimeJob;
            changed = true;
        }

        return changed;
    }

    private static bool SameJob(CronJob a, CronJob b) =>
        a.Name == b.Name
        && a.Skill == b.Skill
        && a.Schedule == b.Schedule
        && a.Enabled == b.Enabled
        && a.Misfire == b.Misfire
        && a.TimeZone.Id == b.TimeZone.Id
        && a.DisabledReason == b.DisabledReason
        && SameValue(a.Input, b.Input);

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && SameValue(kv.Value, other)),
        (System.Collections.IList x, System.Collections.IList y) =>
            x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => SameValue(x[i], y[i])),
        _ => Equals(a, b),
    };
}
