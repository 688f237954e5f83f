namespace Reyn.Scheduling;

/// <summary>
/// The runner used when nothing can run skills (no <see cref="IJobRunner"/> registered): every run fails with
/// <see cref="JobRunnerUnavailableException"/>, so the job is recorded as <c>error</c> with a message that says why.
/// </summary>
public sealed class UnavailableJobRunner : IJobRunner
{
    /// <summary>The default explanation.</summary>
    public const string DefaultReason =
        "no IJobRunner is registered, so no skill can run; call AddReyn() (Reyn.Runtime) or register your own IJobRunner";

    private readonly string _reason;

    /// <summary>Creates the runner with the explanation recorded on each run.</summary>
    public UnavailableJobRunner(string? reason = null) => _reason = string.IsNullOrWhiteSpace(reason) ? DefaultReason : reason;

    /// <inheritdoc />
    public ValueTask RunAsync(CronJob job, CancellationToken cancellationToken) =>
        ValueTask.FromException(new JobRunnerUnavailableException($"job '{job.Name}' (skill '{job.Skill}') was not run: {_reason}."));
}
