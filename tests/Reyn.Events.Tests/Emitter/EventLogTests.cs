using System.Collections.Concurrent;
using Reyn.Events.Tests.Support;
using Reyn.Testing;

namespace Reyn.Events.Tests.Emitter;

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
    public void Emit_Context_StampsEveryCorrelationField()
    {
        var log = new EventLog(new EventPipeline(), new EventContext("run", "agent-a", "skill-s", "plan", "sess", "chain"));

        var evt = log.Emit(EventTypes.PhaseStarted);

        evt.Data.GetString(EventFields.RunId).Should().Be("run");
        evt.Data.GetString(EventFields.Agent).Should().Be("agent-a");
        evt.Data.GetString(EventFields.Skill).Should().Be("skill-s");
        evt.Data.GetString(EventFields.Phase).Should().Be("plan");
        evt.Data.GetString(EventFields.SessionId).Should().Be("sess");
        evt.Data.GetString(EventFields.ChainId).Should().Be("chain");
    }

    [Fact]
    public void Emit_ContextChangedBetweenEvents_LaterEventsGetNewPhase()
    {
        var log = new EventLog(new EventPipeline(), new EventContext(RunId: "r", Phase: "plan"));

        var first = log.Emit(EventTypes.PhaseStarted);
        log.Context = log.Context with { Phase = "act" };
        var second = log.Emit(EventTypes.PhaseStarted);

        first.Data.GetString(EventFields.Phase).Should().Be("plan");
        second.Data.GetString(EventFields.Phase).Should().Be("act");
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
    public void Emit_TwoEmitters_EachHasItsOwnTokenAndSequenceFromOne()
    {
        var pipeline = new EventPipeline();
        var a = new EventLog(pipeline);
        var b = a.WithContext(new EventContext(RunId: "r"));

        a.Emit(EventTypes.ChatStarted);
        a.Emit(EventTypes.ChatStarted);
        var fromB = b.Emit(EventTypes.ChatStarted);

        a.Emitter.Should().MatchRegex("^[0-9a-f]{16}$");
        b.Emitter.Should().NotBe(a.Emitter);
        fromB.Data[EventFields.AuditSeq].Should().Be(1L);
        a.LastAuditSeq.Should().Be(2);
    }

    [Fact]
    public async Task Emit_ConcurrentCallers_AuditSeqIsUniqueAndGapFree()
    {
        var sink = new CollectingSink();
        var pipeline = new EventPipeline();
        pipeline.AddSink(sink);
        var log = new EventLog(pipeline);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                log.Emit(EventTypes.ToolCalled);
            }
        })));

        sink.Events.Select(e => (long)e.Data[EventFields.AuditSeq]!).Should().BeEquivalentTo(Enumerable.Range(1, 2000).Select(i => (long)i));
    }

    [Fact]
    public void Emit_Timestamp_ComesFromTimeProviderWithLocalOffset()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus9", TimeSpan.FromHours(9), "plus9", "plus9");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 10, 0, 0, 0, TimeSpan.Zero), zone);
        var log = new EventLog(new EventPipeline(timeProvider: time));

        var evt = log.Emit(EventTypes.ChatStarted);

        evt.Timestamp.Should().Be(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.FromHours(9)));
        evt.Timestamp.Offset.Should().Be(TimeSpan.FromHours(9));
    }

    [Fact]
    public void Emit_SinksInRegistrationOrder_EachSeesTheSameSanitizedInstance()
    {
        var order = new ConcurrentQueue<string>();
        var seen = new List<ReynEvent>();
        var pipeline = new EventPipeline();
        foreach (var name in new[] { "a", "b", "c" })
        {
            pipeline.AddSink(new DelegateSink(e => { order.Enqueue(name); seen.Add(e); }));
        }

        var returned = new EventLog(pipeline).Emit(EventTypes.ToolCalled, new EventData { ["api_key"] = "abc123", ["op"] = "x" });

        order.Should().Equal("a", "b", "c");
        seen.Should().AllSatisfy(e => e.Should().BeSameAs(returned));
        returned.Data["api_key"].Should().Be("[redacted]");
    }

    private sealed class DelegateSink(Action<ReynEvent> onWrite) : IEventSink
    {
        public void Write(ReynEvent evt) => onWrite(evt);
    }
}
