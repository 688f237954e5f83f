using Microsoft.Extensions.Logging;
using Reyn.Events.Jsonl;
using Reyn.Events.Serialization;
using Reyn.Events.Tests.Support;
using Reyn.Testing;

namespace Reyn.Events.Tests.BadInput;

/// <summary>End to end through EventLog → pipeline → JSONL file: bad input never reaches the caller, is counted and logged.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("reyn-bad");
    private readonly RecordingLogger<EventPipeline> _pipelineLog = new();
    private readonly RecordingLogger<JsonlAuditSink> _sinkLog = new();
    private EventPipeline _pipeline = null!;
    private JsonlAuditSink _sink = null!;
    private EventLog _log = null!;

    public Task InitializeAsync()
    {
        _pipeline = new EventPipeline(logger: _pipelineLog);
        _sink = new JsonlAuditSink(_temp.Combine("events"), logger: _sinkLog);
        _pipeline.AddSink(_sink);
        _log = new EventLog(_pipeline, new EventContext(SessionId: "bad"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Emit_PayloadWithCycle_WrittenWithMarkerAndCountedAsTruncated()
    {
        var node = new Dictionary<string, object?> { ["name"] = "n" };
        node["parent"] = node;

        var act = () => _log.Emit(EventTypes.ToolReturned, new EventData { ["result"] = node });

        act.Should().NotThrow();
        var line = await SingleLineAsync();
        line.Should().Contain("\"parent\":\"[circular]\"");
        _pipeline.TruncatedCount.Should().Be(1);
        _pipeline.LastTruncation.Should().Contain("StructureCut");
        _pipelineLog.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("truncated"));
    }

    [Fact]
    public async Task Emit_HugeString_TruncatedCountedAndLogged()
    {
        _log.Emit(EventTypes.ToolReturned, new EventData { ["stdout"] = new string('x', 5_000_000) });

        var line = await SingleLineAsync();
        line.Length.Should().BeLessThan(1000);
        line.Should().Contain("...[truncated ");
        _pipeline.TruncatedCount.Should().Be(1);
        _pipeline.LastTruncation.Should().Contain("StringTruncated");
    }

    [Fact]
    public async Task Emit_InvalidSurrogates_WrittenAsReplacementCharacter()
    {
        _log.Emit(EventTypes.UserMessageReceived, new EventData { ["text"] = "x\uDC00y", ["chain_id"] = "c" });

        var evt = EventJsonReader.Parse(await SingleLineAsync());
        evt.Data["text"].Should().Be("x\uFFFDy");
    }

    [Fact]
    public async Task Emit_SubscriberThrowsOnEveryEvent_CallerAndFileUnaffected()
    {
        await using var subscription = _pipeline.Subscribe(_ => throw new InvalidOperationException("bad subscriber"), name: "bad");

        for (var i = 0; i < 10; i++)
        {
            _log.Emit(EventTypes.TurnStarted, new EventData { ["kind"] = "user" });
        }

        await _pipeline.FlushAsync();
        File.ReadAllLines(_sink.LastWrittenFile!).Should().HaveCount(10);
        _pipeline.GetSinkStatus().Single(s => s.Name == "bad").DroppedCount.Should().Be(10);
        _pipeline.DroppedCount.Should().Be(10);
    }

    [Fact]
    public async Task Emit_EventsDirectoryUnwritable_CallerUnaffectedDropCountedReasonLogged()
    {
        await File.WriteAllTextAsync(_temp.Combine("events"), "a file where the directory should be");

        var act = () => _log.Emit(EventTypes.ChatStarted);

        act.Should().NotThrow();
        await _pipeline.FlushAsync();
        _pipeline.DroppedCount.Should().Be(1);
        _pipeline.GetSinkStatus().Single(s => s.Name == nameof(JsonlAuditSink)).LastError.Should().Contain("events");
        _sinkLog.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("dropped"));
    }

    private async Task<string> SingleLineAsync()
    {
        await _pipeline.FlushAsync();
        return File.ReadAllLines(_sink.LastWrittenFile!).Should().ContainSingle().Subject;
    }
}
