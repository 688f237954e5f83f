using Reyn.Scheduling;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A job runner that does nothing (the cron seam tests never let a job fire).</summary>
internal sealed class NoOpJobRunner : IJobRunner
{
    public ValueTask RunAsync(CronJob job, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
