using Reyn.Cli.Infrastructure;
using Reyn.Runtime.Configuration.Cron;
using Reyn.Scheduling;

namespace Reyn.Cli.Commands.Cron;

/// <summary>The cron configuration of a project: <c>&lt;project&gt;/reyn.yaml</c> (startup) and <c>&lt;root&gt;/cron.yaml</c> (runtime).</summary>
internal sealed class CronProject
{
    private CronProject(string root, string projectFile, string runtimeFile, IReadOnlyList<CronJob> configured, IReadOnlyDictionary<string, string> sources)
    {
        Root = root;
        ProjectFile = projectFile;
        RuntimeFile = runtimeFile;
        Configured = configured;
        Sources = sources;
    }

    /// <summary>The <c>.reyn/</c> root.</summary>
    public string Root { get; }

    /// <summary>The project's <c>reyn.yaml</c> (startup jobs under <c>cron.jobs</c>), next to the root.</summary>
    public string ProjectFile { get; }

    /// <summary>The hot-reloadable <c>&lt;root&gt;/cron.yaml</c> (runtime jobs, also under <c>cron.jobs</c>).</summary>
    public string RuntimeFile { get; }

    /// <summary>What to print when no job is configured: where jobs go.</summary>
    public string NoJobsMessage => $"(no jobs configured: add them under cron.jobs in {ProjectFile} or {RuntimeFile})";

    /// <summary>Every configured job, startup then runtime (a runtime job shadows a startup job of the same name).</summary>
    public IReadOnlyList<CronJob> Configured { get; }

    /// <summary>The jobs in effect.</summary>
    public IReadOnlyList<CronJob> Effective => CronJobState.Effective(Configured);

    /// <summary>The file each effective job comes from, by name.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Reads both files; a malformed file is a user error naming file, line and key.</summary>
    public static CronProject Load(string root)
    {
        var projectFile = Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) ?? root, "reyn.yaml");
        var runtimeFile = Path.Combine(root, "cron.yaml");
        try
        {
            var startup = CronYaml.Load(projectFile, CronJobOrigin.Startup);
            var runtime = CronYaml.Load(runtimeFile, CronJobOrigin.Runtime);
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var job in startup)
            {
                sources[job.Name] = projectFile;
            }

            foreach (var job in runtime)
            {
                sources[job.Name] = runtimeFile;
            }

            return new CronProject(root, projectFile, runtimeFile, [.. startup, .. runtime], sources);
        }
        catch (CronConfigException ex)
        {
            throw new CliUserException($"{ex.Message} Fix the cron section and run the command again.", ex);
        }
        catch (IOException ex)
        {
            throw new CliUserException($"Could not read the cron configuration ({ex.Message}).", ex);
        }
    }
}
