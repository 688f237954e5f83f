using System.Text;
using System.Text.Json;
using Reyn.Events;
using Reyn.Events.Serialization;
using Reyn.State.Internal;

namespace Reyn.State.Tests.Internal;

public sealed class WalRecordWriterTests
{
    public static TheoryData<string> Strings()
    {
        var data = new TheoryData<string> { string.Empty, "plain", "run-7f3a9c", "naïve", "日本語", "emoji 😀", "tab\there", "quote \" and \\ backslash", "<script>&amp;'+`", "line\nbreak\r", "\u2028\u2029", "\u007f del", "\u0085", "\ufeff" };
        for (var c = 0; c < 128; c++)
        {
            data.Add("x" + (char)c + "y");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void Write_StringFieldsAndKeys_BytesEqualUtf8JsonWriterWithTheSameEncoder(string text)
    {
        var fields = new EventData { ["value"] = text, [text.Length == 0 ? "k" : text] = 1 };
        Fast(42, Utc(0), "inbox_put", fields).Should().Equal(Reference(42, Utc(0), "inbox_put", fields));
    }

    [Fact]
    public void Write_MixedValues_BytesEqualUtf8JsonWriter()
    {
        var fields = new EventData
        {
            ["i"] = -7,
            ["l"] = long.MaxValue,
            ["min"] = long.MinValue,
            ["t"] = true,
            ["f"] = false,
            ["n"] = null,
            ["d"] = 1.5,
            ["m"] = 2.25m,
            ["when"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            ["g"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["nested"] = new Dictionary<string, object?> { ["a"] = new[] { 1, 2 }, ["b"] = "x\"y" },
            ["list"] = new List<object?> { "a", 1, null },
        };
        Fast(1, Utc(1234567), "step_completed", fields).Should().Equal(Reference(1, Utc(1234567), "step_completed", fields));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1_200_000)]
    [InlineData(1_234_567)]
    [InlineData(9_999_999)]
    [InlineData(5_000_000)]
    public void WriteTimestamp_FractionalTicks_TrimmedLikeUtf8JsonWriter(int ticks)
    {
        var fields = new EventData();
        Fast(9, Utc(ticks), "inbox_put", fields).Should().Equal(Reference(9, Utc(ticks), "inbox_put", fields));
    }

    [Fact]
    public void Write_TimestampsWithinAndAcrossSecondsThroughOneWriter_BytesEqualUtf8JsonWriter()
    {
        var times = new[]
        {
            Utc(0), Utc(1), Utc(9_999_999), Utc(10_000_000), Utc(5), Utc(-1), Utc(-10_000_000),
            new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(Utc(1_200_000), DateTimeKind.Unspecified), Utc(1_200_000),
        };
        var writer = new WalRecordWriter();
        var fields = new EventData { ["run_id"] = "run-1", ["n"] = 3 };

        foreach (var time in times)
        {
            var buffer = new WalBuffer(16);
            writer.Write(buffer, 7, time, "step_started", fields);
            buffer.Span.ToArray().Should().Equal(Reference(7, time, "step_started", fields), time.ToString("O"));
        }
    }

    [Fact]
    public void Write_NonEventDataFields_BytesEqualUtf8JsonWriter()
    {
        var fields = new List<KeyValuePair<string, object?>> { new("a", "b"), new("c", 3) };
        Fast(5, Utc(0), "inbox_put", fields).Should().Equal(Reference(5, Utc(0), "inbox_put", fields));
    }

    [Fact]
    public void Write_ReservedFieldName_Throws()
    {
        var writer = new WalRecordWriter();
        var act = () => writer.Write(new WalBuffer(256), 1, Utc(0), "inbox_put", new EventData { ["crc"] = "x" });
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("reserved");
    }

    private static DateTime Utc(int ticks) => new DateTime(2026, 11, 22, 3, 4, 5, DateTimeKind.Utc).AddTicks(ticks);

    private static byte[] Fast(long seq, DateTime ts, string kind, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        // The same writer three times: from the third record on, repeated strings are copied from its cache.
        var writer = new WalRecordWriter();
        var records = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            var buffer = new WalBuffer(16);
            writer.Write(buffer, seq, ts, kind, fields);
            records.Add(buffer.Span.ToArray());
        }

        records[1].Should().Equal(records[0]);
        records[2].Should().Equal(records[0]);
        return records[0];
    }

    /// <summary>The whole record with Utf8JsonWriter, as the log wrote it before the direct serializer.</summary>
    private static byte[] Reference(long seq, DateTime ts, string kind, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var buffer = new WalBuffer(16);
        using (var json = new Utf8JsonWriter(buffer, WalRecordWriter.JsonOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("seq"u8, seq);
            json.WriteString("ts"u8, ts);
            json.WriteString("kind"u8, kind);
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                JsonValueWriter.WriteValue(json, value);
            }

            json.Flush();
        }

        WalLine.Seal(buffer, 0);
        var bytes = buffer.Span.ToArray();
        WalLine.TryVerify(bytes.AsSpan(0, bytes.Length - 1), out var parsed, out var problem).Should().BeTrue(problem);
        parsed.Should().Be(seq);
        Encoding.UTF8.GetString(bytes).Should().EndWith("\n");
        return bytes;
    }
}
