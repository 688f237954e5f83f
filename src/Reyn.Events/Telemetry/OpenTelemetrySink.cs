using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reyn.Events.Telemetry;

/// <summary>
/// Bridges Reyn events to OpenTelemetry through <see cref="System.Diagnostics"/> only (no package needed): spans on
/// <see cref="ReynTelemetry.ActivitySource"/> and metrics on a <see cref="Meter"/> named <see cref="ReynTelemetry.MeterName"/>,
/// so any OTLP exporter that listens to them receives Reyn's runs.
/// </summary>
/// <remarks>
/// <para>Spans follow the GenAI semantic conventions where they apply. <c>llm_called</c> … <c>llm_response_received</c>
/// becomes a client span <c>chat {model}</c> with <c>gen_ai.operation.name</c>, <c>gen_ai.request.model</c>,
/// <c>gen_ai.usage.input_tokens</c> and <c>gen_ai.usage.output_tokens</c>; <c>tool_called</c> … <c>tool_returned</c>/<c>tool_failed</c>
/// becomes <c>execute_tool {op}</c> with <c>gen_ai.tool.name</c> (error status on failure). Spans keep the events'
/// own timestamps and are children of the caller's current <see cref="Activity"/>. Every other event is added as an
/// <see cref="ActivityEvent"/> to the current activity, when there is one.</para>
/// <para>Metrics: <see cref="ReynTelemetry.EventsMetric"/>, <see cref="ReynTelemetry.DroppedMetric"/>,
/// <see cref="ReynTelemetry.TokenUsageMetric"/>, <see cref="ReynTelemetry.OperationDurationMetric"/>,
/// <see cref="ReynTelemetry.CostMetric"/> and <see cref="ReynTelemetry.StepDurationMetric"/>.</para>
/// <para>Like every sink it never throws into the emitter; an event it cannot translate is counted in
/// <see cref="DroppedCount"/>.</para>
/// </remarks>
public sealed class OpenTelemetrySink : IEventSink, IEventSinkDiagnostics, IDisposable
{
    private const int MaxOpenSpans = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);
    private readonly Counter<long> _events;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _llmDuration;
    private readonly Counter<double> _cost;
    private readonly Histogram<double> _stepDuration;
    private readonly Func<IEnumerable<IEventSinkDiagnostics>>? _sinks;
    private long _dropped;
    private string? _lastError;

    /// <summary>Creates the bridge.</summary>
    /// <param name="sinks">The other sinks whose drops <see cref="ReynTelemetry.DroppedMetric"/> reports (read at each collection); null reports only this sink's.</param>
    public OpenTelemetrySink(Func<IEnumerable<IEventSinkDiagnostics>>? sinks = null)
    {
        _sinks = sinks;
        Meter = new Meter(ReynTelemetry.MeterName, typeof(OpenTelemetrySink).Assembly.GetName().Version?.ToString());
        _events = Meter.CreateCounter<long>(ReynTelemetry.EventsMetric, "{event}", "Events emitted.");
        _tokens = Meter.CreateHistogram<long>(ReynTelemetry.TokenUsageMetric, "{token}", "Tokens used per LLM call.");
        _llmDuration = Meter.CreateHistogram<double>(ReynTelemetry.OperationDurationMetric, "s", "Duration of LLM calls.");
        _cost = Meter.CreateCounter<double>(ReynTelemetry.CostMetric, "USD", "LLM cost.");
        _stepDuration = Meter.CreateHistogram<double>(ReynTelemetry.StepDurationMetric, "s", "Duration of ops (steps).");
        Meter.CreateObservableCounter(ReynTelemetry.DroppedMetric, ObserveDropped, "{event}", "Events dropped by sinks.");
    }

    /// <summary>The meter the metrics are published on (one per sink; disposed with it).</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public string? LastError => Volatile.Read(ref _lastError);

    /// <inheritdoc />
    public void Write(ReynEvent evt)
    {
        if (evt is null)
        {
            return;
        }

        try
        {
            Translate(evt);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _dropped);
            Volatile.Write(ref _lastError, $"translating '{evt.Type}' to OpenTelemetry failed: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();

    private void Translate(ReynEvent evt)
    {
        var data = evt.Data;
        var type = evt.Type;
        var known = EventCatalog.TryGet(type, out _);
        _events.Add(1,
            new KeyValuePair<string, object?>("reyn.event.type", type),
            new KeyValuePair<string, object?>("reyn.event.source", known ? EventCatalog.SourceOf(type) : "unknown"),
            new KeyValuePair<string, object?>("reyn.event.level", known ? EventCatalog.LevelName(EventCatalog.LevelOf(evt)) : "info"));

        switch (type)
        {
            case EventTypes.LlmCalled:
                Open(LlmKey(data), evt.Timestamp);
                break;
            case EventTypes.LlmResponseReceived:
                CloseLlm(evt);
                break;
            case EventTypes.ToolCalled:
                Open(ToolKey(data), evt.Timestamp);
                break;
            case EventTypes.ToolReturned:
            case EventTypes.ToolFailed:
                CloseTool(evt, failed: type == EventTypes.ToolFailed);
                break;
            default:
                AddToCurrent(evt);
                break;
        }
    }

    private void CloseLlm(ReynEvent evt)
    {
        var data = evt.Data;
        var model = data.GetString("model") ?? "unknown";
        var start = Close(LlmKey(data), evt, out var duration);
        var input = Number(data, "prompt_tokens") ?? Number(data, "input_tokens");
        var output = Number(data, "completion_tokens") ?? Number(data, "output_tokens");
        var cost = Number(data, "cost_usd");
        var modelTag = new KeyValuePair<string, object?>("gen_ai.request.model", model);
        var operationTag = new KeyValuePair<string, object?>("gen_ai.operation.name", "chat");
        if (input is { } i)
        {
            _tokens.Record((long)i, modelTag, operationTag, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        }

        if (output is { } o)
        {
            _tokens.Record((long)o, modelTag, operationTag, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        }

        if (cost is { } c)
        {
            _cost.Add(c, modelTag);
        }

        if (duration is { } d)
        {
            _llmDuration.Record(d.TotalSeconds, modelTag, operationTag);
        }

        using var activity = ReynTelemetry.ActivitySource.StartActivity("chat " + model, ActivityKind.Client, Activity.Current?.Context ?? default, startTime: start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.request.model", model);
        if (input is { } it)
        {
            activity.SetTag("gen_ai.usage.input_tokens", (long)it);
        }

        if (output is { } ot)
        {
            activity.SetTag("gen_ai.usage.output_tokens", (long)ot);
        }

        if (cost is { } ct)
        {
            activity.SetTag("reyn.llm.cost_usd", ct);
        }

        SetContextTags(activity, evt.Data);
        activity.SetEndTime(evt.Timestamp.UtcDateTime);
    }

    private void CloseTool(ReynEvent evt, bool failed)
    {
        var op = evt.Data.GetString("op") ?? "unknown";
        var start = Close(ToolKey(evt.Data), evt, out var duration);
        var outcome = failed ? "failed" : "completed";
        if (duration is { } d)
        {
            _stepDuration.Record(d.TotalSeconds, new KeyValuePair<string, object?>("gen_ai.tool.name", op), new KeyValuePair<string, object?>("reyn.step.outcome", outcome));
        }

        using var activity = ReynTelemetry.ActivitySource.StartActivity("execute_tool " + op, ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.operation.name", "execute_tool");
        activity.SetTag("gen_ai.tool.name", op);
        SetContextTags(activity, evt.Data);
        if (failed)
        {
            var error = evt.Data.GetString("error");
            activity.SetTag("error.type", evt.Data.GetString("error_type") ?? "op_failed");
            activity.SetStatus(ActivityStatusCode.Error, error);
        }

        activity.SetEndTime(evt.Timestamp.UtcDateTime);
    }

    private static void AddToCurrent(ReynEvent evt)
    {
        if (Activity.Current is not { } current || !current.IsAllDataRequested)
        {
            return;
        }

        var tags = new ActivityTagsCollection();
        var data = evt.Data;
        for (var i = 0; i < data.Count; i++)
        {
            var value = data.ValueAt(i);
            tags[data.KeyAt(i)] = value is string or bool or long or int or double ? value : data.GetString(data.KeyAt(i));
        }

        current.AddEvent(new ActivityEvent(evt.Type, evt.Timestamp, tags));
    }

    private static void SetContextTags(Activity activity, EventData data)
    {
        foreach (var key in (ReadOnlySpan<string>)[EventFields.RunId, EventFields.Skill, EventFields.Phase, EventFields.Agent, EventFields.SessionId])
        {
            if (data.GetString(key) is { } value)
            {
                activity.SetTag("reyn." + key, value);
            }
        }
    }

    private void Open(string key, DateTimeOffset at)
    {
        if (_open.Count >= MaxOpenSpans)
        {
            _open.Clear(); // calls whose completion never arrived; bound the memory rather than grow forever
        }

        _open[key] = at;
    }

    /// <summary>The start of the span that <paramref name="evt"/> closes: the matching call's time, else time minus an explicit duration, else the event's time.</summary>
    private DateTimeOffset Close(string key, ReynEvent evt, out TimeSpan? duration)
    {
        if (_open.TryRemove(key, out var start) && start <= evt.Timestamp)
        {
            duration = evt.Timestamp - start;
            return start;
        }

        if (Number(evt.Data, "duration_ms") is { } ms)
        {
            duration = TimeSpan.FromMilliseconds(ms);
        }
        else if (Number(evt.Data, "duration_seconds") is { } seconds)
        {
            duration = TimeSpan.FromSeconds(seconds);
        }
        else
        {
            duration = null;
        }

        return duration is { } d ? evt.Timestamp - d : evt.Timestamp;
    }

    private static string LlmKey(EventData data) => "llm|" + (data.GetString(EventFields.RunId) ?? data.GetString(EventFields.SessionId)) + "|" + data.GetString(EventFields.Phase);

    private static string ToolKey(EventData data) => "op|" + (data.GetString(EventFields.RunId) ?? data.GetString(EventFields.SessionId)) + "|" + data.GetString("op");

    private static double? Number(EventData data, string key) => data.TryGetValue(key, out var value) ? value switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    } : null;

    private IEnumerable<Measurement<long>> ObserveDropped()
    {
        yield return new Measurement<long>(DroppedCount, new KeyValuePair<string, object?>("reyn.sink", nameof(OpenTelemetrySink)));
        if (_sinks is null)
        {
            yield break;
        }

        foreach (var sink in _sinks())
        {
            if (!ReferenceEquals(sink, this))
            {
                yield return new Measurement<long>(sink.DroppedCount, new KeyValuePair<string, object?>("reyn.sink", sink.GetType().Name));
            }
        }
    }
}
