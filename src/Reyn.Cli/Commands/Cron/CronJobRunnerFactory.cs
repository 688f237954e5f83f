using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Cli.Infrastructure;
using Reyn.Runtime;
using Reyn.Runtime.HotReload;
using Reyn.Scheduling;

namespace Reyn.Cli.Commands.Cron;

/// <summary>
/// Chooses the <see cref="IJobRunner"/> for <c>reyn cron run</c>: a host built with <c>AddReyn</c> over the project
/// (<c>&lt;root&gt;</c> and the project's <c>reyn.yaml</c> when present), whose <see cref="RuntimeJobRunner"/> runs the
/// job's skill through the runtime with the same permissions as a direct run. The built-in skills
/// (<c>index_events</c>, <c>ops_report</c>) are always available; their events go to the project's audit log.
/// </summary>
internal static class CronJobRunnerFactory
{
    /// <exception cref="CliUserException">reyn.yaml (or the agent profile) is invalid.</exception>
    public static RuntimeHostJobRunner Create(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        var projectFile = Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(rootDirectory)) ?? rootDirectory, "reyn.yaml");
        var services = new ServiceCollection();
        services.AddReyn(o => o.RootDirectory = rootDirectory, File.Exists(projectFile) ? projectFile : null);
        var provider = services.BuildServiceProvider();
        try
        {
            // Resolve now so that a bad reyn.yaml is reported before the scheduler starts, not on every tick.
            provider.GetRequiredService<ReynRuntime>();
            return new RuntimeHostJobRunner(provider, provider.GetRequiredService<IJobRunner>());
        }
        catch (Exception ex) when (ex is ReynConfigException or OptionsValidationException or ConfigValidationException or Reyn.Runtime.Configuration.Cron.CronConfigException)
        {
            provider.Dispose();
            throw new CliUserException($"{ex.Message} Fix the configuration and run the command again.", ex);
        }
    }

    /// <summary>The runtime's job runner plus the host that owns it (disposing flushes the audit log).</summary>
    internal sealed class RuntimeHostJobRunner(ServiceProvider provider, IJobRunner inner) : IJobRunner, IAsyncDisposable
    {
        public ValueTask RunAsync(CronJob job, CancellationToken cancellationToken) => inner.RunAsync(job, cancellationToken);

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
