using Microsoft.Extensions.DependencyInjection.Extensions;
using Reyn.Events;
using Reyn.Events.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the OpenTelemetry bridge.</summary>
public static class OpenTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="OpenTelemetrySink"/> as an event sink: events become spans on <see cref="ReynTelemetry.ActivitySourceName"/>
    /// and metrics on <see cref="ReynTelemetry.MeterName"/>. Point the host's OpenTelemetry SDK at both
    /// (<c>.AddSource(ReynTelemetry.ActivitySourceName)</c>, <c>.AddMeter(ReynTelemetry.MeterName)</c>) to export them over OTLP.
    /// </summary>
    public static IServiceCollection AddReynOpenTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new OpenTelemetrySink(() => sp.GetServices<IEventSink>().OfType<IEventSinkDiagnostics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, OpenTelemetrySink>(sp => sp.GetRequiredService<OpenTelemetrySink>()));
        return services;
    }
}
