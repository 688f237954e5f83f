using System.Text.Json;

namespace Reyn.Index.Tests.Indexing;

public sealed class IndexEventsRequestTests
{
    private static Dictionary<string, object?> Args(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    [Fact]
    public void TryCreate_SeedInput_ParsesSinceModeAndSkills()
    {
        IndexEventsRequest.TryCreate(Args("""{"since":"2026-05-01T00:00:00","mode":"replace","skills":["a","b"]}"""), out var request, out var error).Should().BeTrue();

        error.Should().BeNull();
        request.Since.Should().Be(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        request.Mode.Should().Be(IndexEventsMode.Replace);
        request.Skills.Should().Equal("a", "b");
    }

    [Fact]
    public void TryCreate_EmptyInput_IsAppendFromCursor()
    {
        IndexEventsRequest.TryCreate(Args("{}"), out var request, out _).Should().BeTrue();

        request.Should().Be(new IndexEventsRequest());
    }

    [Theory]
    [InlineData("""{"since":"yesterday"}""", "ISO-8601")]
    [InlineData("""{"mode":"merge"}""", "append")]
    [InlineData("""{"skills":"a"}""", "list")]
    [InlineData("""{"sinse":"2026-05-01"}""", "Unknown index_events input 'sinse'")]
    public void TryCreate_BadInput_ReturnsErrorSayingHowToFix(string json, string message)
    {
        IndexEventsRequest.TryCreate(Args(json), out _, out var error).Should().BeFalse();

        error.Should().Contain(message);
    }
}
