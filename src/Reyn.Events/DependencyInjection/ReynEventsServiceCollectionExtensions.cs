using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.Internal;
using Reyn.Events.Jsonl;
using Reyn.Events.Reporting;
using Reyn.Events.Sanitization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reyn.Events in a service collection.</summary>
public static class ReynEventsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the event pipeline, the host's root <see cref="EventLog"/>, the JSONL audit log
    /// (<see cref="JsonlAuditSink"/> under <c>&lt;RootDirectory&gt;/events</c>, unless <c>Jsonl.Enabled</c> is false)
    /// and every <see cref="IEventSink"/> registered in the container. Options are validated when the host starts
    /// (and when the pipeline is first resolved); an invalid option throws <see cref="OptionsValidationException"/>
    /// naming it.
    /// </summary>
    public static IServiceCollection AddReynEvents(this IServiceCollection services, Action<ReynEventsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ReynEventsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReynEventsOptions>, ReynEventsOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new EventSanitizer(sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value.Sanitizer));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value;
            return new JsonlAuditSink(o.EventsDirectory, o.Jsonl, sp.GetService<ILogger<JsonlAuditSink>>());
        });
        services.TryAddSingleton(sp =>
        {
            var pipeline = new EventPipeline(
                sp.GetRequiredService<EventSanitizer>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<EventPipeline>>());
            if (sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value.Jsonl.Enabled)
            {
                pipeline.AddSink(sp.GetRequiredService<JsonlAuditSink>());
            }

            foreach (var sink in sp.GetServices<IEventSink>())
            {
                pipeline.AddSink(sink);
            }

            foreach (var reporter in sp.GetServices<ConsoleReporter>())
            {
                pipeline.Subscribe(evt => reporter.Write(evt), name: "console-reporter");
            }

            return pipeline;
        });
        services.TryAddSingleton(sp => new EventLog(
            sp.GetRequiredService<EventPipeline>(),
            new EventContext(Agent: sp.GetRequiredService<IOptions<ReynEventsOptions>>().Value.Agent)));
        return services;
    }

    /// <summary>
    /// Renders every event live, one line each, on <paramref name="output"/> (standard output by default) through a
    /// background subscriber, so a slow console never slows the emitter. Call with <see cref="AddReynEvents"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="conversation">Also show LLM input (<c>context_built</c>) and output (<c>llm_response_received</c>).</param>
    /// <param name="output">Where lines go; <see cref="Console.Out"/> when null.</param>
    public static IServiceCollection AddReynConsoleReporter(this IServiceCollection services, bool conversation = false, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new ConsoleReporter(output ?? Console.Out, conversation));
        return services;
    }
}
