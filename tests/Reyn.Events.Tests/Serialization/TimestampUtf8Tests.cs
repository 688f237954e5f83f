using System.Buffers;
using System.Text;
using System.Text.Json;
using Reyn.Events.Serialization;
using Reyn.Events.Internal;

namespace Reyn.Events.Tests.Serialization;

/// <summary>The cached timestamp formatter must write exactly what Utf8JsonWriter writes for a DateTimeOffset.</summary>
public sealed class TimestampUtf8Tests
{
    public static TheoryData<DateTimeOffset> Edges() => new()
    {
        DateTimeOffset.UnixEpoch,
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(DateTime.MaxValue.Ticks, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 22, 4, 3, 45, TimeSpan.FromHours(-14)).AddTicks(1),
        new DateTimeOffset(2026, 11, 22, 4, 3, 45, TimeSpan.FromHours(14)).AddTicks(1_000_000),
        new DateTimeOffset(2026, 3, 29, 23, 59, 59, new TimeSpan(5, 30, 0)).AddTicks(9_999_999),
        new DateTimeOffset(2026, 3, 29, 1, 2, 3, new TimeSpan(-3, -30, 0)).AddTicks(1_234_560),
        new DateTimeOffset(999, 12, 31, 23, 59, 59, new TimeSpan(0, 45, 0)).AddTicks(10),
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void WriteValue_EdgeTimestamps_SameBytesAsUtf8JsonWriter(DateTimeOffset value)
    {
        Format(value).Should().Be(Expected(value));
    }

    [Fact]
    public void WriteValue_RandomTimestampsAndOffsetsInSequence_SameBytesAsUtf8JsonWriter()
    {
        var random = new Random(42);
        var value = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.FromHours(1));
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly close together (the cache is hit), sometimes a jump in time or offset (the cache is refreshed).
            value = random.Next(10) switch
            {
                0 => new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
                    .ToOffset(TimeSpan.FromMinutes(15 * random.Next(-14 * 4, (14 * 4) + 1))),
                1 => value.AddTicks(-random.Next(0, 30_000_000)),
                _ => value.AddTicks(random.Next(0, 3_000_000) * (random.Next(3) == 0 ? 10 : 1)),
            };

            Format(value).Should().Be(Expected(value), $"step {i}");
        }
    }

    [Fact]
    public void FormatUtc_RandomUtcTimesInSequence_SameTextAsUtf8JsonWriterWithoutQuotes()
    {
        var random = new Random(7);
        var formatter = new TimestampUtf8();
        var text = new byte[TimestampUtf8.MaxLength];
        var value = new DateTime(2026, 12, 6, 4, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 20_000; i++)
        {
            value = random.Next(10) switch
            {
                0 => new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
                1 => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond) + (random.Next(7) * 1_000_000)),
                _ => value.AddTicks(random.Next(0, 3_000_000)),
            };

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStringValue(value);
            }

            Encoding.UTF8.GetString(text, 0, formatter.FormatUtc(value, text)).Should().Be(Encoding.UTF8.GetString(buffer.WrittenSpan)[1..^1], $"step {i}");
        }
    }

    [Fact]
    public void ToJson_Event_TimestampAsIsoWithOffset()
    {
        var evt = new ReynEvent("x", new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_500_000), new EventData { ["a"] = 1 });

        EventJsonWriter.ToJson(evt).Should().Be("{\"type\":\"x\",\"timestamp\":\"2026-05-10T09:00:00.15+02:00\",\"data\":{\"a\":1}}");
    }

    private static string Format(DateTimeOffset value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, EventJsonWriter.WriterOptions))
        {
            TimestampUtf8.Current.WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Expected(DateTimeOffset value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
