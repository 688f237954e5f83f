using System.Diagnostics;

namespace Reyn.Events.Telemetry;

/// <summary>
/// Names of what <see cref="OpenTelemetrySink"/> publishes, for <c>AddSource(...)</c> / <c>AddMeter(...)</c> of an
/// OpenTelemetry (or any <see cref="ActivityListener"/>/<c>MeterListener</c>) pipeline.
/// </summary>
public static class ReynTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name of Reyn spans: <c>Reyn.Events</c>.</summary>
    public const string ActivitySourceName = "Reyn.Events";

    /// <summary>The <c>Meter</c> name of Reyn metrics: <c>Reyn.Events</c>.</summary>
    public const string MeterName = "Reyn.Events";

    /// <summary>Counter of events seen by the sink (tags <c>reyn.event.type</c>, <c>reyn.event.source</c>, <c>reyn.event.level</c>).</summary>
    public const string EventsMetric = "reyn.events";

    /// <summary>Observable counter of events dropped by the event sinks (tag <c>reyn.sink</c>).</summary>
    public const string DroppedMetric = "reyn.events.dropped";

    /// <summary>GenAI semantic-convention histogram of tokens per LLM call (tag <c>gen_ai.token.type</c>: input/output).</summary>
    public const string TokenUsageMetric = "gen_ai.client.token.usage";

    /// <summary>GenAI semantic-convention histogram of LLM call durations, seconds.</summary>
    public const string OperationDurationMetric = "gen_ai.client.operation.duration";

    /// <summary>Counter of LLM cost in US dollars (tag <c>gen_ai.request.model</c>).</summary>
    public const string CostMetric = "reyn.llm.cost";

    /// <summary>Histogram of op (step) durations, seconds (tags <c>gen_ai.tool.name</c>, <c>reyn.step.outcome</c>).</summary>
    public const string StepDurationMetric = "reyn.step.duration";

    /// <summary>The source of every Reyn span.</summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName, typeof(ReynTelemetry).Assembly.GetName().Version?.ToString());
}
