namespace Reyn.Runtime.HotReload;

/// <summary>The <c>cron</c> component of the IN-set: the runtime jobs of <c>.reyn/cron.yaml</c>.</summary>
public sealed class CronConfig
{
    /// <summary>Creates the component.</summary>
    public CronConfig(IReadOnlyList<CronJobDefinition> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        Jobs = jobs;
    }

    /// <summary>No jobs (missing or empty file).</summary>
    public static CronConfig Empty { get; } = new([]);

    /// <summary>The jobs in file order; names are unique.</summary>
    public IReadOnlyList<CronJobDefinition> Jobs { get; }
}
