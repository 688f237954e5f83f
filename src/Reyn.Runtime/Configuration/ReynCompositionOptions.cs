namespace Reyn.Runtime;

/// <summary>
/// Which packages <c>AddReyn</c> composes besides the runtime. Each package stays usable alone
/// (<c>AddReynEvents</c>, <c>AddReynActivityStore</c>, <c>AddReynState</c>, <c>AddReynIndex</c>, <c>AddReynScheduling</c>);
/// the root directory and WAL durability always come from <see cref="ReynOptions"/>.
/// </summary>
public sealed class ReynCompositionOptions
{
    /// <summary>Whether the SQLite activity store (<c>&lt;root&gt;/events.db</c>) receives the same events as the JSONL files. Default <see langword="true"/>.</summary>
    public bool ActivityStore { get; set; } = true;

    /// <summary>Whether cron jobs (reyn.yaml <c>cron.jobs</c> and <c>.reyn/cron.yaml</c>) persist their status under <c>&lt;root&gt;/state</c>. Default <see langword="true"/>.</summary>
    public bool PersistCronStatus { get; set; } = true;
}
