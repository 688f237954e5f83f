namespace Reyn.Scheduling;

/// <summary>Which configuration layer a <see cref="CronJob"/> comes from.</summary>
public enum CronJobOrigin
{
    /// <summary>Restart-only configuration (<c>reyn.yaml</c> or the host's code).</summary>
    Startup = 0,

    /// <summary>Hot-reloadable configuration (<c>.reyn/cron.yaml</c>); shadows a startup job of the same name.</summary>
    Runtime = 1,
}
