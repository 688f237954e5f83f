using Microsoft.Extensions.Logging;
using Reyn.Events.Tests.Support;

namespace Reyn.Events.Tests.Emitter;

public sealed class EventPipelineTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public void Emit_SinkThrows_OtherSinksStillReceiveAndFailureIsCountedAndLogged()
    {
        var logger = new RecordingLogger<EventPipeline>();
        var pipeline = new EventPipeline(logger: logger);
        var received = new CollectingSink();
        pipeline.AddSink(new ThrowingSink());
        pipeline.AddSink(received);
        var log = new EventLog(pipeline);

        var act = () => log.Emit(EventTypes.ChatStarted);

        act.Should().NotThrow();
        received.Events.Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStarted);
        pipeline.SinkFailureCount.Should().Be(1);
        pipeline.DroppedCount.Should().Be(1);
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("ThrowingSink"));
    }

    [Fact]
    public async Task Subscribe_SubscriberStalledOnGate_EmitReturnsAndOtherSinksReceiveImmediately()
    {
        var pipeline = new EventPipeline();
        var gate = new ManualResetEventSlim(false);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalledGot = new List<ReynEvent>();
        await using var stalled = pipeline.Subscribe(e =>
        {
            entered.TrySetResult();
            gate.Wait();
            stalledGot.Add(e);
        }, name: "stalled");
        var other = new CollectingSink();
        pipeline.AddSink(other);
        var log = new EventLog(pipeline);

        log.Emit(EventTypes.TurnStarted);
        await entered.Task.WaitAsync(Guard);
        for (var i = 0; i < 100; i++)
        {
            log.Emit(EventTypes.TurnStarted);
        }

        other.Events.Should().HaveCount(101, "the stalled subscriber must not hold back the emitter or other sinks");
        stalledGot.Should().BeEmpty();

        gate.Set();
        await pipeline.FlushAsync().AsTask().WaitAsync(Guard);
        stalledGot.Should().HaveCount(101);
        pipeline.DroppedCount.Should().Be(0);
    }

    [Fact]
    public async Task Subscribe_QueueFullWhileStalled_DropsAreCountedWithReason()
    {
        var pipeline = new EventPipeline();
        var gate = new ManualResetEventSlim(false);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stalled = pipeline.Subscribe(_ =>
        {
            entered.TrySetResult();
            gate.Wait();
        }, capacity: 2, name: "slow-ui");
        var log = new EventLog(pipeline);

        log.Emit(EventTypes.TurnStarted);
        await entered.Task.WaitAsync(Guard);
        for (var i = 0; i < 5; i++)
        {
            log.Emit(EventTypes.TurnStarted);
        }

        var status = pipeline.GetSinkStatus().Should().ContainSingle().Subject;
        status.Name.Should().Be("slow-ui");
        status.DroppedCount.Should().Be(3);
        status.LastError.Should().Contain("slow-ui").And.Contain("full");
        pipeline.DroppedCount.Should().Be(3);
        gate.Set();
    }

    [Fact]
    public async Task Subscribe_SubscriberThrows_LaterEventsStillDeliveredAndThrowCounted()
    {
        var logger = new RecordingLogger<EventPipeline>();
        var pipeline = new EventPipeline(logger: logger);
        var delivered = new List<string>();
        await using var subscription = pipeline.Subscribe(e =>
        {
            if (e.Type == EventTypes.ToolFailed)
            {
                throw new InvalidOperationException("subscriber bug");
            }

            delivered.Add(e.Type);
        }, name: "flaky");
        var log = new EventLog(pipeline);

        log.Emit(EventTypes.ToolCalled);
        log.Emit(EventTypes.ToolFailed);
        log.Emit(EventTypes.ToolReturned);
        await pipeline.FlushAsync().AsTask().WaitAsync(Guard);

        delivered.Should().Equal(EventTypes.ToolCalled, EventTypes.ToolReturned);
        var status = pipeline.GetSinkStatus().Single();
        status.DroppedCount.Should().Be(1);
        status.LastError.Should().Contain("subscriber bug");
        logger.Entries.Should().Contain(e => e.Message.Contains("subscriber bug"));
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerReceives()
    {
        var pipeline = new EventPipeline();
        var got = 0;
        var subscription = pipeline.Subscribe(_ => Interlocked.Increment(ref got));
        var log = new EventLog(pipeline);
        log.Emit(EventTypes.ChatStarted);

        await subscription.DisposeAsync();
        log.Emit(EventTypes.ChatStarted);

        got.Should().Be(1);
        pipeline.Sinks.Should().BeEmpty();
    }

    [Fact]
    public void Emit_TypeOutsideCatalog_DeliveredButCountedAndLogged()
    {
        var logger = new RecordingLogger<EventPipeline>();
        var pipeline = new EventPipeline(logger: logger);
        var sink = new CollectingSink();
        pipeline.AddSink(sink);

        new EventLog(pipeline).Emit("not_a_kind");

        sink.Events.Should().ContainSingle();
        pipeline.UnknownTypeCount.Should().Be(1);
        logger.Entries.Should().Contain(e => e.Message.Contains("not_a_kind") && e.Message.Contains("EventCatalog"));
    }

    [Fact]
    public async Task DisposeAsync_FlushesSubscribersBeforeDisposing()
    {
        var pipeline = new EventPipeline();
        var got = 0;
        pipeline.Subscribe(_ => Interlocked.Increment(ref got));
        var log = new EventLog(pipeline);
        for (var i = 0; i < 50; i++)
        {
            log.Emit(EventTypes.ToolCalled);
        }

        await pipeline.DisposeAsync();

        got.Should().Be(50);
    }
}
