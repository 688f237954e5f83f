using Microsoft.Extensions.Hosting;

namespace Reyn.Scheduling;

/// <summary>Embeds a <see cref="CronScheduler"/> in a host: the host's lifetime starts and stops it.</summary>
public sealed class CronSchedulerHostedService : IHostedService
{
    private readonly CronScheduler _scheduler;

    /// <summary>Wraps <paramref name="scheduler"/>.</summary>
    public CronSchedulerHostedService(CronScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => _scheduler.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _scheduler.StopAsync(cancellationToken);
}
