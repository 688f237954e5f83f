using Reyn.Events.Jsonl;
using Reyn.Events.Serialization;
using Reyn.Testing;

namespace Reyn.Events.Tests.Jsonl;

/// <summary>Events are serialized straight into the file's batch; a failure half-way must leave no partial line.</summary>
public sealed class JsonlAuditSinkSerializationFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new("reyn-jsonl-fail");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Write_ValueThrowsWhileSerializing_EventDroppedCountedAndNeighboursIntact()
    {
        var events = _temp.Combine("events");
        await using var sink = new JsonlAuditSink(events);
        var at = new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);

        sink.Write(new ReynEvent(EventTypes.PhaseStarted, at, new EventData { ["run_id"] = "r1", ["i"] = 1 }));
        sink.Write(new ReynEvent(EventTypes.PhaseStarted, at, new EventData { ["run_id"] = "r1", ["big"] = new string('x', 10_000), ["bad"] = new ThrowsOnToString() }));
        sink.Write(new ReynEvent(EventTypes.PhaseStarted, at, new EventData { ["run_id"] = "r1", ["i"] = 3 }));
        await sink.FlushAsync();

        var lines = File.ReadAllLines(Path.Combine(events, "2026-05", "r1.jsonl"));
        lines.Should().HaveCount(2);
        lines.Select(line => EventJsonReader.Parse(line).Data["i"]).Should().Equal(1L, 3L);
        sink.DroppedCount.Should().Be(1);
        sink.WrittenCount.Should().Be(2);
        sink.LastError.Should().Contain("could not be serialized").And.Contain("InvalidOperationException");
    }

    private sealed class ThrowsOnToString
    {
        public override string ToString() => throw new InvalidOperationException("cannot format");
    }
}
