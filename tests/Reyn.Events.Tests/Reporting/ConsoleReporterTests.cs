using Reyn.Events.Reporting;

namespace Reyn.Events.Tests.Reporting;

public sealed class ConsoleReporterTests
{
    private readonly StringWriter _output = new() { NewLine = "\n" };

    [Theory]
    [InlineData(EventTypes.PhaseStarted, "phase=plan;visit_count=1", "[phase:plan] started (visit #1)")]
    [InlineData(EventTypes.PhaseCompleted, "phase=plan;next_phase=act", "[phase:plan] → act")]
    [InlineData(EventTypes.PhaseCompleted, "phase=plan;next_phase=act;confidence=0.9", "[phase:plan] → act (confidence=0.9)")]
    [InlineData(EventTypes.PhaseFailed, "phase=act;error=boom", "[phase:act] failed: boom")]
    [InlineData(EventTypes.WorkflowFinished, "reason=finish", "[os] workflow terminated — finish")]
    [InlineData(EventTypes.UserInterventionRequested, "question=Deploy now?", "[ask_user] Deploy now?")]
    [InlineData(EventTypes.CronFired, "job=nightly", "[cron] Cron job nightly fired")]
    [InlineData(EventTypes.PermissionDenied, "op=shell;reason=not allowed", "[op] Permission denied for shell: not allowed")]
    public void Write_KnownKind_PrintsOneReadableLine(string type, string fields, string expected)
    {
        var reporter = new ConsoleReporter(_output);

        var printed = reporter.Write(Event(type, fields));

        printed.Should().BeTrue();
        _output.ToString().Should().Be(expected + "\n");
    }

    [Fact]
    public void Write_UnknownKind_FallsBackToTypeAndAtMostSixFields()
    {
        var reporter = new ConsoleReporter(_output);
        var data = new EventData { ["emitter"] = "e", ["audit_seq"] = 1L };
        for (var i = 1; i <= 9; i++)
        {
            data[$"k{i}"] = i == 2 ? "two words" : i;
        }

        reporter.Write(new ReynEvent("custom_thing", DateTimeOffset.UnixEpoch, data)).Should().BeTrue();

        _output.ToString().Should().Be("[custom_thing] k1=1 k2=\"two words\" k3=3 k4=4 k5=5 k6=6 …\n");
    }

    [Fact]
    public void Write_MultiLineValue_StaysOnOneLine()
    {
        var reporter = new ConsoleReporter(_output);

        reporter.Write(Event(EventTypes.PhaseFailed, "phase=act;error=line1\nline2"));

        _output.ToString().TrimEnd('\n').Should().NotContain("\n").And.Contain("line1 line2");
    }

    [Theory]
    [InlineData(EventTypes.ContextBuilt)]
    [InlineData(EventTypes.LlmResponseReceived)]
    public void Write_LlmFramesOutsideConversationMode_PrintsNothing(string type)
    {
        var reporter = new ConsoleReporter(_output);

        reporter.Write(Event(type, "phase=plan")).Should().BeFalse();

        _output.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Write_ConversationMode_ShowsLlmInputAndOutput()
    {
        var reporter = new ConsoleReporter(_output, conversation: true);
        var input = new EventData { ["phase"] = "plan", ["visit_count"] = 1, ["instructions"] = "Plan the fix", ["run_id"] = "r" };
        var output = new EventData { ["phase"] = "plan", ["model"] = "m1", ["raw"] = new Dictionary<string, object?> { ["next"] = "act" } };

        reporter.Write(new ReynEvent(EventTypes.ContextBuilt, DateTimeOffset.UnixEpoch, input)).Should().BeTrue();
        reporter.Write(new ReynEvent(EventTypes.LlmResponseReceived, DateTimeOffset.UnixEpoch, output)).Should().BeTrue();

        var text = _output.ToString();
        text.Should().StartWith("[LLM INPUT] phase=plan visit=1\n");
        text.Should().Contain("    instructions: Plan the fix\n");
        text.Should().Contain("[LLM OUTPUT] phase=plan model=m1\n");
        text.Should().Contain("    raw: {\"next\":\"act\"}");
        text.Should().NotContain("run_id");
    }

    [Fact]
    public async Task AsSubscriber_EmittedEvents_PrintedInOrder()
    {
        var reporter = new ConsoleReporter(_output);
        var pipeline = new EventPipeline();
        await using (pipeline.Subscribe(e => reporter.Write(e)))
        {
            var log = new EventLog(pipeline, new EventContext(Phase: "plan"));
            log.Emit(EventTypes.PhaseStarted, new EventData { ["visit_count"] = 1 });
            log.Emit(EventTypes.PhaseCompleted, new EventData { ["next_phase"] = "act" });
            await pipeline.FlushAsync();
        }

        _output.ToString().Should().Be("[phase:plan] started (visit #1)\n[phase:plan] → act\n");
    }

    private static ReynEvent Event(string type, string fields)
    {
        var data = new EventData();
        foreach (var pair in fields.Split(';'))
        {
            var eq = pair.IndexOf('=');
            data[pair[..eq]] = pair[(eq + 1)..];
        }

        return new ReynEvent(type, DateTimeOffset.UnixEpoch, data);
    }
}
