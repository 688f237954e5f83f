using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reyn.Scheduling in a service collection.</summary>
public static class ReynSchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="CronScheduler"/> (with the jobs of <see cref="ReynSchedulingOptions.Jobs"/>), its
    /// <see cref="IHostedService"/> wrapper and Reyn.Events. Options are validated when the host starts. Register an
    /// <see cref="IJobRunner"/> (Reyn.Runtime's <c>AddReyn()</c> does); without one every run is recorded as an error
    /// saying no runner is registered.
    /// </summary>
    public static IServiceCollection AddReynScheduling(this IServiceCollection services, Action<ReynSchedulingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReynEvents();
        var options = services.AddOptions<ReynSchedulingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReynSchedulingOptions>, ReynSchedulingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobRunner>(_ => new UnavailableJobRunner());
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ReynSchedulingOptions>>().Value;
            var scheduler = new CronScheduler(
                sp.GetRequiredService<IJobRunner>(),
                sp.GetRequiredService<EventLog>(),
                sp.GetRequiredService<TimeProvider>(),
                settings.PersistStatus ? CronStatusStore.ForRoot(settings.RootDirectory) : null,
                sp.GetService<ILogger<CronScheduler>>());
            foreach (var job in settings.Jobs)
            {
                scheduler.AddOrReplace(job);
            }

            return scheduler;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CronSchedulerHostedService>());
        return services;
    }
}
