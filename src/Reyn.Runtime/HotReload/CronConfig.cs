using Reyn.Scheduling;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// The <c>cron</c> component of the IN-set: the runtime jobs of <c>.reyn/cron.yaml</c>, read with the same format as
/// the startup jobs of <c>reyn.yaml</c> (<see cref="Configuration.Cron.CronYaml"/>), each with
/// <see cref="CronJob.Origin"/> = <see cref="CronJobOrigin.Runtime"/>.
/// </summary>
public sealed class CronConfig
{
    /// <summary>Creates the component.</summary>
    public CronConfig(IReadOnlyList<CronJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        Jobs = jobs;
    }

    /// <summary>No jobs (missing or empty file).</summary>
    public static CronConfig Empty { get; } = new([]);

    /// <summary>The jobs in file order; names are unique.</summary>
    public IReadOnlyList<CronJob> Jobs { get; }
}
