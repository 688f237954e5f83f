using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Events.Telemetry;

namespace Reyn.Events.Tests.Telemetry;

public sealed class OpenTelemetrySinkTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 18, 10, 0, 0, TimeSpan.Zero);
    private readonly string _run = "run-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public OpenTelemetrySinkTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReynTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("reyn.run_id") as string == _run)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private ReynEvent Make(string type, int second, params (string Key, object? Value)[] fields)
    {
        var data = new EventData { [EventFields.RunId] = _run, [EventFields.Skill] = "swe", [EventFields.Phase] = "plan" };
        foreach (var (key, value) in fields)
        {
            data.Set(key, value);
        }

        return new ReynEvent(type, T0.AddSeconds(second), data);
    }

    [Fact]
    public void Write_LlmCallAndResponse_EmitsAGenAiChatSpanWithTokens()
    {
        using var sink = new OpenTelemetrySink();

        sink.Write(Make(EventTypes.LlmCalled, 0, ("model", "gpt-x")));
        sink.Write(Make(EventTypes.LlmResponseReceived, 3, ("model", "gpt-x"), ("prompt_tokens", 1200), ("completion_tokens", 300L), ("cost_usd", 0.02)));

        var span = _spans.Should().ContainSingle().Subject;
        span.DisplayName.Should().Be("chat gpt-x");
        span.Kind.Should().Be(ActivityKind.Client);
        span.GetTagItem("gen_ai.operation.name").Should().Be("chat");
        span.GetTagItem("gen_ai.request.model").Should().Be("gpt-x");
        span.GetTagItem("gen_ai.usage.input_tokens").Should().Be(1200L);
        span.GetTagItem("gen_ai.usage.output_tokens").Should().Be(300L);
        span.GetTagItem("reyn.skill").Should().Be("swe");
        span.StartTimeUtc.Should().Be(T0.UtcDateTime);
        span.Duration.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Write_ToolFailed_EmitsAnErrorToolSpanUnderTheCurrentActivity()
    {
        using var sink = new OpenTelemetrySink();
        using var parent = new Activity("host-request").Start();

        sink.Write(Make(EventTypes.ToolCalled, 1, ("op", "grep")));
        sink.Write(Make(EventTypes.ToolFailed, 2, ("op", "grep"), ("error", "timeout")));

        var span = _spans.Should().ContainSingle().Subject;
        span.DisplayName.Should().Be("execute_tool grep");
        span.GetTagItem("gen_ai.tool.name").Should().Be("grep");
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be("timeout");
        span.ParentSpanId.Should().Be(parent.SpanId);
        span.TraceId.Should().Be(parent.TraceId);
    }

    [Fact]
    public void Write_OtherEvent_BecomesAnActivityEventOnTheCurrentActivity()
    {
        using var sink = new OpenTelemetrySink();
        using var source = new ActivitySource(ReynTelemetry.ActivitySourceName);
        using var parent = source.StartActivity("run")!;

        sink.Write(Make(EventTypes.RunSkillStarted, 0, ("skill_version_hash", "abc")));

        var evt = parent.Events.Should().ContainSingle().Subject;
        evt.Name.Should().Be(EventTypes.RunSkillStarted);
        evt.Timestamp.Should().Be(T0);
        evt.Tags.Should().Contain(new KeyValuePair<string, object?>("skill_version_hash", "abc"));
    }

    [Fact]
    public void Write_Events_PublishCountsTokensCostStepDurationsAndDrops()
    {
        using var sink = new OpenTelemetrySink(() => [new FixedDrops(7)]);
        var longs = new ConcurrentBag<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var doubles = new ConcurrentBag<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, sink.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => longs.Add((i.Name, v, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => doubles.Add((i.Name, v, ToDictionary(tags))));
        meters.Start();

        sink.Write(Make(EventTypes.LlmCalled, 0, ("model", "m")));
        sink.Write(Make(EventTypes.LlmResponseReceived, 2, ("model", "m"), ("prompt_tokens", 100), ("completion_tokens", 40), ("cost_usd", 0.5)));
        sink.Write(Make(EventTypes.ToolCalled, 2, ("op", "grep")));
        sink.Write(Make(EventTypes.ToolReturned, 5, ("op", "grep")));
        meters.RecordObservableInstruments();

        longs.Where(m => m.Name == ReynTelemetry.EventsMetric).Sum(m => m.Value).Should().Be(4);
        longs.Should().Contain(m => m.Name == ReynTelemetry.TokenUsageMetric && m.Value == 100 && (string?)m.Tags["gen_ai.token.type"] == "input" && (string?)m.Tags["gen_ai.request.model"] == "m");
        longs.Should().Contain(m => m.Name == ReynTelemetry.TokenUsageMetric && m.Value == 40 && (string?)m.Tags["gen_ai.token.type"] == "output");
        doubles.Should().ContainSingle(m => m.Name == ReynTelemetry.CostMetric).Which.Value.Should().Be(0.5);
        doubles.Should().ContainSingle(m => m.Name == ReynTelemetry.OperationDurationMetric).Which.Value.Should().Be(2);
        doubles.Should().ContainSingle(m => m.Name == ReynTelemetry.StepDurationMetric).Which.Value.Should().Be(3);
        longs.Should().Contain(m => m.Name == ReynTelemetry.DroppedMetric && m.Value == 7 && (string?)m.Tags["reyn.sink"] == nameof(FixedDrops));
    }

    [Fact]
    public void Write_ResponseWithoutCall_UsesTheExplicitDuration()
    {
        using var sink = new OpenTelemetrySink();

        sink.Write(Make(EventTypes.LlmResponseReceived, 10, ("model", "m"), ("duration_ms", 1500)));

        var span = _spans.Should().ContainSingle().Subject;
        span.Duration.Should().Be(TimeSpan.FromMilliseconds(1500));
        span.StartTimeUtc.Should().Be(T0.AddSeconds(8.5).UtcDateTime);
        sink.DroppedCount.Should().Be(0);
    }

    [Fact]
    public void AddReynOpenTelemetry_OneLine_RegistersTheSinkOnce()
    {
        var services = new ServiceCollection();
        services.AddReynOpenTelemetry();
        services.AddReynOpenTelemetry();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IEventSink>().OfType<OpenTelemetrySink>().Should().ContainSingle()
            .Which.Should().BeSameAs(provider.GetRequiredService<OpenTelemetrySink>());
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            d[tag.Key] = tag.Value;
        }

        return d;
    }

    private sealed class FixedDrops(long dropped) : IEventSinkDiagnostics
    {
        public long DroppedCount => dropped;

        public string? LastError => null;
    }
}
