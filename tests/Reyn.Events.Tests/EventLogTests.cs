using Reyn.Events;

namespace Reyn.Events.Tests;

public sealed class EventLogTests
{
    [Fact]
    public void Emit_CallerSetsRunId_CallerWinsOverContext()
    {
        var pipeline = new EventPipeline();
        var log = new EventLog(pipeline, new EventContext(RunId: "ctx-run", Skill: "ctx-skill"));

        var evt = log.Emit(EventTypes.PhaseStarted, new EventData { [EventFields.RunId] = "caller-run" });

        evt.Data.GetString(EventFields.RunId).Should().Be("caller-run");
        evt.Data.GetString(EventFields.Skill).Should().Be("ctx-skill");
    }

    [Fact]
    public void Emit_CallerForgesEmitterAndAuditSeq_EmitterOverwritesBoth()
    {
        var log = new EventLog(new EventPipeline());

        log.Emit(EventTypes.PhaseStarted);
        var evt = log.Emit(EventTypes.PhaseStarted, new EventData { [EventFields.Emitter] = "forged", [EventFields.AuditSeq] = 99L });

        evt.Data[EventFields.Emitter].Should().Be(log.Emitter);
        evt.Data[EventFields.AuditSeq].Should().Be(2L);
    }

    [Fact]
    public void Emit_SinkThrows_OtherSinksStillReceiveAndFailureIsCounted()
    {
        var pipeline = new EventPipeline();
        var received = new List<ReynEvent>();
        pipeline.AddSink(new ThrowingSink());
        pipeline.AddSink(new CollectingSink(received));
        var log = new EventLog(pipeline);

        var act = () => log.Emit(EventTypes.ChatStarted);

        act.Should().NotThrow();
        received.Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStarted);
        pipeline.SinkFailureCount.Should().Be(1);
    }

    private sealed class ThrowingSink : IEventSink
    {
        public void Write(ReynEvent evt) => throw new InvalidOperationException("broken sink");
    }

    private sealed class CollectingSink(List<ReynEvent> events) : IEventSink
    {
        public void Write(ReynEvent evt) => events.Add(evt);
    }
}
