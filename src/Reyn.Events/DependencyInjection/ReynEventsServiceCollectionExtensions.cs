using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.Sanitization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reyn.Events in a service collection.</summary>
public static class ReynEventsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the event pipeline, the host's root <see cref="EventLog"/> and every <see cref="IEventSink"/> registered in
    /// the container. Options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddReynEvents(this IServiceCollection services, Action<ReynEventsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ReynEventsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), "ReynEventsOptions.RootDirectory must name a directory (for example \".reyn\").")
            .Validate(o => o.Sanitizer.MaxStringLength > 0 && o.Sanitizer.MaxPayloadBytes > 0, "ReynEventsOptions.Sanitizer limits must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new EventSanitizer(sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value.Sanitizer));
        services.TryAddSingleton(sp =>
        {
            var pipeline = new EventPipeline(
                sp.GetRequiredService<EventSanitizer>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<EventPipeline>>());
            foreach (var sink in sp.GetServices<IEventSink>())
            {
                pipeline.AddSink(sink);
            }

            return pipeline;
        });
        services.TryAddSingleton(sp => new EventLog(
            sp.GetRequiredService<EventPipeline>(),
            new EventContext(Agent: sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value.Agent)));
        return services;
    }
}
