namespace Reyn.Scheduling;

/// <summary>Runs one scheduled job: Reyn.Runtime implements it by running <see cref="CronJob.Skill"/> with <see cref="CronJob.Input"/>.</summary>
/// <remarks>
/// The scheduler grants nothing: an implementation must apply the same permission checks as a direct run of the
/// skill. Throwing marks the run <c>error</c> with <c>"&lt;Type&gt;: &lt;message&gt;"</c>; the scheduler carries on.
/// The token is cancelled when the scheduler stops.
/// </remarks>
public interface IJobRunner
{
    /// <summary>Runs <paramref name="job"/> once.</summary>
    ValueTask RunAsync(CronJob job, CancellationToken cancellationToken);
}
