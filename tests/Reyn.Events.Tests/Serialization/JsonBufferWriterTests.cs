using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.Tests.Serialization;

/// <summary>The fast line writer must produce exactly the bytes <see cref="Utf8JsonWriter"/> produces, cached or not.</summary>
public sealed class JsonBufferWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 10, 9, 15, 0, 123, TimeSpan.FromHours(-4));

    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string> { "", "plain", "/srv/app/src/file.cs", "a\uD800b", "\uDC00", "😀 pair", "こんにちは", "café", "tab\tnew\nline", "\u007F", "\u0080", "a\u2028b", new string('a', 97), new string('p', 5000), new string('é', 3000) };
        for (var c = 0; c < 128; c++)
        {
            data.Add("x" + (char)c + "y");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void WriteLine_AnyTextAsKeyAndValue_SameBytesAsUtf8JsonWriter(string text)
    {
        var evt = new ReynEvent(EventTypes.ToolCalled, At, new EventData { [text] = text, ["k"] = text });

        Fast(evt, EventJsonWriter.WriterOptions).Should().Be(Reference(evt, EventJsonWriter.WriterOptions));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void WriteLine_DefaultEncoder_EscapesExactlyAsUtf8JsonWriter(string text)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.Default, SkipValidation = true };
        var evt = new ReynEvent(EventTypes.ToolCalled, At, new EventData { [text] = text, ["k"] = text + "<&>'+`" });

        Fast(evt, options).Should().Be(Reference(evt, options));
    }

    [Fact]
    public void WriteLine_SameInstancesOnManyLines_CachedBytesStayIdentical()
    {
        var writer = new JsonBufferWriter(EventJsonWriter.WriterOptions);
        var key = "op";
        var value = "read_file";
        var fast = new ArrayBufferWriter<byte>();
        var reference = new StringBuilder();
        for (var i = 0; i < 5; i++)
        {
            var evt = new ReynEvent(EventTypes.ToolCalled, At.AddTicks(i * 1234567), new EventData { [key] = value, ["n"] = i, ["dyn"] = "v" + i });
            EventJsonWriter.WriteLine(writer, fast, evt);
            reference.Append(Reference(evt, EventJsonWriter.WriterOptions));
        }

        Encoding.UTF8.GetString(fast.WrittenSpan).Should().Be(reference.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(96)]
    public void TryPlainString_CachedInstanceIntoRoomyAndExactSpans_SameQuotedBytes(int length)
    {
        var writer = new JsonBufferWriter(EventJsonWriter.WriterOptions);
        var value = new string('k', length);
        var expected = Encoding.UTF8.GetBytes("\"" + value + "\"");
        var roomy = new byte[256];
        writer.TryPlainString(value, roomy).Should().Be(expected.Length);
        writer.TryPlainString(value, roomy).Should().Be(expected.Length, "the second write caches the bytes");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            Array.Fill(roomy, (byte)'#');
            writer.TryPlainString(value, roomy).Should().Be(expected.Length);
            roomy.AsSpan(0, expected.Length).ToArray().Should().Equal(expected);

            var exact = new byte[expected.Length];
            writer.TryPlainString(value, exact).Should().Be(expected.Length);
            exact.Should().Equal(expected);
            writer.TryPlainString(value, new byte[expected.Length - 1]).Should().Be(-1);
        }
    }

    [Fact]
    public void WriteLine_EveryValueKind_SameBytesAsUtf8JsonWriter()
    {
        var nested = new EventData { ["inner"] = new EventData { ["deep"] = new[] { 1, 2 } }, ["list"] = new List<object?> { "a", null, true, 2.5 } };
        var evt = new ReynEvent(EventTypes.ToolCalled, At, new EventData
        {
            ["s"] = "text",
            ["i"] = 42,
            ["l"] = long.MinValue,
            ["t"] = true,
            ["f"] = false,
            ["n"] = null,
            ["d"] = 0.1,
            ["nan"] = double.NaN,
            ["m"] = 12.50m,
            ["when"] = At,
            ["utc"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["g"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["span"] = TimeSpan.FromMilliseconds(1500),
            ["e"] = DayOfWeek.Friday,
            ["nested"] = nested,
            ["dict"] = new Dictionary<string, object?> { ["x"] = 1 },
            ["json"] = JsonDocument.Parse("{\"a\":[1,\"b\"]}").RootElement,
        });

        Fast(evt, EventJsonWriter.WriterOptions).Should().Be(Reference(evt, EventJsonWriter.WriterOptions));
    }

    [Fact]
    public void WriteLine_NestingBeyondTheLimit_CutAtTheSameDepthAsUtf8JsonWriter()
    {
        object deepest = "bottom";
        for (var i = 0; i < JsonValueWriter.MaxDepth + 3; i++)
        {
            deepest = new EventData { ["d"] = deepest };
        }

        var evt = new ReynEvent(EventTypes.ToolCalled, At, new EventData { ["root"] = deepest });

        var fast = Fast(evt, EventJsonWriter.WriterOptions);
        fast.Should().Be(Reference(evt, EventJsonWriter.WriterOptions));
        fast.Should().Contain("[depth limit]");
    }

    private static string Fast(ReynEvent evt, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new JsonBufferWriter(options);
        for (var i = 0; i < 3; i++)
        {
            EventJsonWriter.WriteLine(writer, buffer, evt); // from the third line on, repeated strings come from the cache
        }

        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n');
        lines[1].Should().Be(lines[0]);
        lines[2].Should().Be(lines[0]);
        return lines[0] + "\n";
    }

    private static string Reference(ReynEvent evt, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            EventJsonWriter.Write(writer, evt);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
