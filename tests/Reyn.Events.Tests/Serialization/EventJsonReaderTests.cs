using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.Tests.Serialization;

public sealed class EventJsonReaderTests
{
    [Fact]
    public void TryParse_WrittenLine_RoundTripsTypeTimestampAndFields()
    {
        var at = new DateTimeOffset(2026, 5, 10, 9, 15, 0, 123, TimeSpan.FromHours(-4));
        var original = new ReynEvent(EventTypes.LlmResponseReceived, at, new EventData
        {
            ["run_id"] = "r1", ["prompt_tokens"] = 12L, ["cost_usd"] = 0.25, ["cached"] = false, ["raw"] = new Dictionary<string, object?> { ["a"] = 1 }, ["none"] = null,
        });

        var ok = EventJsonReader.TryParse(EventJsonWriter.ToJson(original) + "\n", out var parsed, out var error);

        ok.Should().BeTrue(error);
        parsed!.Type.Should().Be(EventTypes.LlmResponseReceived);
        parsed.Timestamp.Should().Be(at);
        parsed.Timestamp.Offset.Should().Be(TimeSpan.FromHours(-4));
        parsed.Data["run_id"].Should().Be("r1");
        parsed.Data["prompt_tokens"].Should().BeOfType<long>().Which.Should().Be(12L);
        parsed.Data["cost_usd"].Should().Be(0.25);
        parsed.Data["cached"].Should().Be(false);
        parsed.Data["none"].Should().BeNull();
        ((JsonElement)parsed.Data["raw"]!).GetProperty("a").GetInt32().Should().Be(1);
        EventJsonWriter.ToJson(parsed).Should().Be(EventJsonWriter.ToJson(original));
    }

    [Theory]
    [InlineData("", "blank")]
    [InlineData("   ", "blank")]
    [InlineData("{\"type\":\"chat_started\",\"timestamp\":\"2026-05-10T09:15:00+00:00\",\"data\":{\"x\":", "JSON")]
    [InlineData("not json", "JSON")]
    [InlineData("[1,2]", "object")]
    [InlineData("{\"timestamp\":\"2026-05-10T09:15:00+00:00\",\"data\":{}}", "type")]
    [InlineData("{\"type\":\"chat_started\",\"timestamp\":\"yesterday\",\"data\":{}}", "timestamp")]
    [InlineData("{\"type\":\"chat_started\",\"timestamp\":\"2026-05-10T09:15:00+00:00\",\"data\":[]}", "data")]
    public void TryParse_BadLine_ReturnsFalseWithReason(string line, string reasonContains)
    {
        var ok = EventJsonReader.TryParse(line, out var evt, out var error);

        ok.Should().BeFalse();
        evt.Should().BeNull();
        error.Should().Contain(reasonContains);
    }

    [Fact]
    public void Parse_BadLine_ThrowsFormatExceptionSayingWhy()
    {
        var act = () => EventJsonReader.Parse("{\"type\":\"\"}");

        act.Should().Throw<FormatException>().WithMessage("*type*");
    }
}
