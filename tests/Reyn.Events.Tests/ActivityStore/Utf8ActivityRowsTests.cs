using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Reyn.Events;
using Reyn.Events.ActivityStore.Internal;
using Reyn.Events.Serialization;
using static Reyn.Events.Tests.Support.ActivityTestEvents;

namespace Reyn.Events.Tests.ActivityStore;

/// <summary>
/// The UTF-8 rows the SQLite writer binds: every column must equal what the general path derives (the catalog, the
/// JSON writer with default options, the FTS body parsed out of the JSON), whichever fast path wrote it.
/// </summary>
public sealed class Utf8ActivityRowsTests
{
    public static TheoryData<string> Payloads => new()
    {
        "plain",
        "non-ascii",
        "escapes",
        "nested",
        "double",
        "no-context",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Add_AnyPayload_ColumnsEqualTheGeneralDerivation(string payload)
    {
        var evt = Event(payload, T0.AddMilliseconds(1234));
        using var rows = new Utf8ActivityRows();

        rows.Add(evt);

        var data = ReferenceJson(evt.Data);
        rows.GetString(0, ActivityColumn.Data).Should().Be(data);
        rows.GetString(0, ActivityColumn.Body).Should().Be(ReferenceBody(data));
        rows.GetString(0, ActivityColumn.Summary).Should().Be(EventCatalog.Summarize(evt));
        rows.GetString(0, ActivityColumn.Source).Should().Be(EventCatalog.SourceOf(evt.Type));
        rows.GetString(0, ActivityColumn.Type).Should().Be(evt.Type);
        rows.GetString(0, ActivityColumn.Level).Should().Be(EventCatalog.LevelName(EventCatalog.LevelOf(evt)));
        rows.GetString(0, ActivityColumn.Project).Should().Be(evt.Data.GetString(EventFields.Project));
        rows.GetString(0, ActivityColumn.Session).Should().Be(evt.Data.GetString(EventFields.SessionId));
        rows.TimestampMs(0).Should().Be(evt.Timestamp.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Add_NoContextFields_ThoseColumnsAreNull()
    {
        using var rows = new Utf8ActivityRows();

        rows.Add(Event("no-context", T0));

        foreach (var column in new[] { ActivityColumn.Project, ActivityColumn.Agent, ActivityColumn.Session, ActivityColumn.Run })
        {
            rows.IsNull(0, column).Should().BeTrue(column.ToString());
            rows.GetString(0, column).Should().BeNull();
        }

        rows.IsNull(0, ActivityColumn.Summary).Should().BeFalse();
    }

    [Fact]
    public void Add_TimestampsWithinAndAcrossSecondsAndOffsets_FormatAsUtcWithMilliseconds()
    {
        var times = new[]
        {
            T0, T0.AddMilliseconds(1), T0.AddMilliseconds(999), T0.AddSeconds(1), T0.AddTicks(9_999), T0.AddTicks(10_000),
            new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(-5)),
            new DateTimeOffset(2027, 1, 1, 4, 59, 59, 999, TimeSpan.Zero),
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2024, 2, 29, 12, 0, 0, 5, TimeSpan.FromHours(5.5)),
        };
        using var rows = new Utf8ActivityRows();

        foreach (var time in times)
        {
            rows.Add(Make(EventTypes.PhaseStarted, time, ("phase", "plan")));
        }

        for (var i = 0; i < times.Length; i++)
        {
            rows.GetString(i, ActivityColumn.Timestamp).Should().Be(
                times[i].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), times[i].ToString("O"));
        }
    }

    [Fact]
    public void Add_ManyLargeRows_EveryRowReadsBackAfterTheBufferGrows()
    {
        using var rows = new Utf8ActivityRows();
        var events = Enumerable.Range(0, 300)
            .Select(i => Make(EventTypes.ToolFailed, T0.AddSeconds(i), ("op", "op" + i), ("error", new string((char)('a' + (i % 26)), 100 + (i * 37)))))
            .ToArray();

        foreach (var evt in events)
        {
            rows.Add(evt);
        }

        rows.Count.Should().Be(events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            rows.GetString(i, ActivityColumn.Data).Should().Be(ReferenceJson(events[i].Data));
        }

        rows.Clear();
        rows.Count.Should().Be(0);
        rows.Add(events[7]);
        rows.GetString(0, ActivityColumn.Data).Should().Be(ReferenceJson(events[7].Data));
    }

    private static ReynEvent Event(string payload, DateTimeOffset time) => payload switch
    {
        "plain" => Make(EventTypes.ToolFailed, time, ("project", "p1"), ("agent", "a1"), ("session_id", "s1"), ("run_id", "r1"),
            ("emitter", "e1"), ("audit_seq", 7), ("op", "git_clone"), ("error", "fetch failed after 3 retries"), ("ok", false), ("gone", null)),
        "non-ascii" => Make(EventTypes.ToolFailed, time, ("project", "projét"), ("op", "lire_fichier"), ("error", "échec — fichier absent 日本")),
        "escapes" => Make(EventTypes.ToolFailed, time, ("op", "shell"), ("error", "exit <1> & \"quoted\" \\ back\nline\ttab 'x' +y `z`")),
        "nested" => Make(EventTypes.ToolReturned, time, ("op", "read_file"), ("files", new[] { "a.cs", "b.cs" }),
            ("meta", new Dictionary<string, object?> { ["project"] = "nested-project-is-indexed", ["n"] = 3 })),
        "double" => Make(EventTypes.LlmResponseReceived, time, ("model", "gpt-5"), ("cost_usd", 0.1234), ("prompt_tokens", 900L)),
        "no-context" => Make(EventTypes.PhaseStarted, time, ("phase", "plan")),
        _ => throw new ArgumentOutOfRangeException(nameof(payload)),
    };

    private static string ReferenceJson(EventData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            JsonValueWriter.WriteProperties(writer, data);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ReferenceBody(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var body = new byte[bytes.Length];
        return Encoding.UTF8.GetString(body, 0, Utf8ActivityRows.WriteBody(bytes, body));
    }
}
