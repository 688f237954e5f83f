using System.Text;
using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.Tests.Serialization;

public sealed class EventJsonWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 10, 9, 15, 0, 123, TimeSpan.FromHours(9));

    [Fact]
    public void ToJson_SimpleEvent_WritesEnvelopeInOrderWithOffsetTimestamp()
    {
        var evt = new ReynEvent(EventTypes.PhaseStarted, At, new EventData { ["phase"] = "plan", ["visit_count"] = 1 });

        var json = EventJsonWriter.ToJson(evt);

        json.Should().Be("{\"type\":\"phase_started\",\"timestamp\":\"2026-05-10T09:15:00.123+09:00\",\"data\":{\"phase\":\"plan\",\"visit_count\":1}}");
    }

    [Fact]
    public void ToJson_NonAsciiText_WrittenAsUtf8NotEscaped()
    {
        var evt = new ReynEvent(EventTypes.UserMessageReceived, At, new EventData { ["text"] = "こんにちは — café" });

        var json = EventJsonWriter.ToJson(evt);

        json.Should().Contain("こんにちは — café");
    }

    [Fact]
    public void ToJson_LoneSurrogatesInValueAndKey_ReplacedWithoutThrowing()
    {
        var evt = new ReynEvent(EventTypes.UserMessageReceived, At, new EventData { ["text"] = "a\uD800b\uDC00c", ["k\uDBFF"] = "ok", ["pair"] = "😀" });

        var json = EventJsonWriter.ToJson(evt);

        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        data.GetProperty("text").GetString().Should().Be("a\uFFFDb\uFFFDc");
        data.GetProperty("k\uFFFD").GetString().Should().Be("ok");
        data.GetProperty("pair").GetString().Should().Be("😀");
    }

    [Fact]
    public void WriteLine_TwoEvents_EachIsOneLineEndingInNewline()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, EventJsonWriter.WriterOptions);
        var first = new ReynEvent(EventTypes.ChatStarted, At, new EventData { ["text"] = "line1\nline2" });
        var second = new ReynEvent(EventTypes.ChatStopped, At, new EventData());

        var n1 = EventJsonWriter.WriteLine(writer, buffer, first);
        var n2 = EventJsonWriter.WriteLine(writer, buffer, second);

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        (n1 + n2).Should().Be(buffer.WrittenCount);
        text.Split('\n').Should().HaveCount(3).And.EndWith(string.Empty);
        text.Should().Contain("line1\\nline2");
    }

    [Fact]
    public void ToJson_NestedValues_WrittenAsJsonObjectsAndArrays()
    {
        var evt = new ReynEvent(EventTypes.ToolReturned, At, new EventData
        {
            ["result"] = new Dictionary<string, object?> { ["ok"] = true, ["items"] = new List<object?> { 1L, "two", null } },
            ["ratio"] = 0.5,
        });

        using var doc = JsonDocument.Parse(EventJsonWriter.ToJson(evt));

        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        result.GetProperty("ok").GetBoolean().Should().BeTrue();
        result.GetProperty("items").GetArrayLength().Should().Be(3);
        doc.RootElement.GetProperty("data").GetProperty("ratio").GetDouble().Should().Be(0.5);
    }
}
