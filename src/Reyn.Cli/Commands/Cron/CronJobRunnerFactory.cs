using Reyn.Scheduling;

namespace Reyn.Cli.Commands.Cron;

/// <summary>
/// Chooses the <see cref="IJobRunner"/> for <c>reyn cron run</c>. Reyn.Runtime does not yet expose a skill runner to
/// the CLI, so every run is recorded as an error that says so; once it does, this is the one place to wire it in.
/// </summary>
internal static class CronJobRunnerFactory
{
    public const string NoRuntimeReason =
        "no runtime available: this reyn CLI cannot run skills yet (Reyn.Runtime provides no job runner); the run was recorded as error";

    public static IJobRunner Create(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        return new UnavailableJobRunner(NoRuntimeReason);
    }
}
