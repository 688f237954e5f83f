namespace Reyn.Scheduling;

/// <summary>Options of <c>AddReynScheduling</c>; validated when the host starts.</summary>
public sealed class ReynSchedulingOptions
{
    /// <summary>The <c>.reyn/</c> root; job status goes to <c>&lt;root&gt;/state/cron_status.json</c>. Default <c>.reyn</c>.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>Whether job status is persisted (and misfire policies applied on start). Default <see langword="true"/>.</summary>
    public bool PersistStatus { get; set; } = true;

    /// <summary>
    /// The jobs to schedule. Names must be unique per <see cref="CronJob.Origin"/>; a runtime job shadows a startup job
    /// of the same name. A job with a bad expression is allowed: it is listed as disabled with its reason.
    /// </summary>
    public IList<CronJob> Jobs { get; } = [];
}
