using Reyn.Runtime.Configuration.Cron;
using Reyn.Scheduling;

namespace Reyn.Runtime.Internal;

/// <summary>The cron jobs loaded at start: reyn.yaml <c>cron.jobs</c> (startup) then <c>&lt;root&gt;/cron.yaml</c> (runtime, overrides by name).</summary>
internal static class StartupCronJobs
{
    /// <exception cref="CronConfigException">A cron section is malformed; the message names the file, line and key.</exception>
    public static IReadOnlyList<CronJob> Load(ReynOptions options)
    {
        var jobs = new List<CronJob>();
        if (options.ConfigFile is { } configFile)
        {
            jobs.AddRange(CronYaml.Load(configFile, CronJobOrigin.Startup));
        }

        jobs.AddRange(CronYaml.Load(Path.Combine(Path.GetFullPath(options.RootDirectory), "cron.yaml"), CronJobOrigin.Runtime));
        return jobs;
    }
}
