using Reyn.Events;
using Reyn.Events.Replay;
using Reyn.Testing;

namespace Reyn.Events.Tests.Replay;

public sealed class ReplayReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-replay");

    public void Dispose() => _dir.Dispose();

    private static string Line(string type, string timestamp, string data = "{}") =>
        $"{{\"type\":\"{type}\",\"timestamp\":\"{timestamp}\",\"data\":{data}}}";

    private string WriteFile(string relative, params string[] lines)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [Fact]
    public void Read_Directory_RecursesAndOrdersFilesChronologically()
    {
        WriteFile("2026-05/zz-run.jsonl",
            Line("phase_started", "2026-05-02T10:00:00+00:00", "{\"phase\":\"b1\"}"),
            Line("phase_started", "2026-05-02T10:00:01+00:00", "{\"phase\":\"b2\"}"));
        WriteFile("2026-05/aa-session.jsonl",
            Line("phase_started", "2026-05-03T09:00:00+02:00", "{\"phase\":\"c1\"}"));
        WriteFile("2026-04/mm-run.jsonl",
            Line("phase_started", "2026-04-30T23:59:00+00:00", "{\"phase\":\"a1\"}"));
        WriteFile("2026-04/notes.txt", "not an event file");

        var reader = new ReplayReader();
        var phases = reader.Read(_dir.Path).Select(e => e.Data.GetString("phase")).ToList();

        phases.Should().Equal("a1", "b1", "b2", "c1");
        reader.FileCount.Should().Be(3);
        reader.MatchedCount.Should().Be(4);
    }

    [Fact]
    public void Read_Line_ParsesEnvelopeIntoReynEvent()
    {
        var file = WriteFile("run.jsonl", Line("tool_failed", "2026-05-02T10:00:00.123+02:00",
            "{\"op\":\"shell\",\"audit_seq\":7,\"cost\":0.25,\"ok\":false,\"none\":null,\"nested\":{\"a\":[1,2]}}"));

        var evt = new ReplayReader().Read(file).Should().ContainSingle().Subject;

        evt.Type.Should().Be("tool_failed");
        evt.Timestamp.Should().Be(new DateTimeOffset(2026, 5, 2, 10, 0, 0, 123, TimeSpan.FromHours(2)));
        evt.Data["op"].Should().Be("shell");
        evt.Data["audit_seq"].Should().Be(7L);
        evt.Data["cost"].Should().Be(0.25);
        evt.Data["ok"].Should().Be(false);
        evt.Data["none"].Should().BeNull();
        evt.Data["nested"].Should().BeOfType<System.Text.Json.JsonElement>();
        EventCatalog.Summarize(evt).Should().Be("Op shell failed: ?");
    }

    [Fact]
    public void Read_BlankTornAndGarbageLines_AreSkippedWithFileAndLineWarnings()
    {
        var file = WriteFile("2026-05/run.jsonl",
            Line("chat_started", "2026-05-02T10:00:00Z"),
            "",
            "this is not json",
            Line("chat_started", "2026-05-02T10:00:01Z"),
            "[1,2,3]",
            "{\"type\":\"chat_started\",\"timestamp\":\"yesterday\",\"data\":{}}",
            "{\"timestamp\":\"2026-05-02T10:00:01Z\",\"data\":{}}",
            "{\"type\":\"chat_started\",\"timestamp\":\"2026-05-02T10:00:01Z\",\"data\":\"x\"}",
            Line("chat_stopped", "2026-05-02T10:00:02Z"),
            "{\"type\":\"chat_started\",\"timestamp\":\"2026-05-02T10:0");
        var warnings = new List<ReplayWarning>();

        var reader = new ReplayReader();
        var events = reader.Read(file, warnings.Add).ToList();

        events.Select(e => e.Type).Should().Equal("chat_started", "chat_started", "chat_stopped");
        warnings.Select(w => w.Line).Should().Equal(2, 3, 5, 6, 7, 8, 10);
        warnings.Should().OnlyContain(w => w.File == file);
        warnings[0].ToString().Should().Be($"{file}:2: blank line");
        warnings[1].Reason.Should().Contain("not valid JSON");
        warnings[^1].Reason.Should().Contain("torn or garbage");
        reader.SkippedLineCount.Should().Be(7);
    }

    [Fact]
    public void Read_UnreadableFile_WarnsAndContinuesWithTheNext()
    {
        WriteFile("a/1.jsonl", Line("chat_started", "2026-05-01T10:00:00Z"));
        Directory.CreateDirectory(_dir.Combine("b"));
        var dangling = _dir.Combine("b", "2.jsonl");
        File.CreateSymbolicLink(dangling, _dir.Combine("gone", "missing.jsonl"));
        WriteFile("c/3.jsonl", Line("chat_stopped", "2026-05-03T10:00:00Z"));

        var warnings = new List<ReplayWarning>();
        var events = new ReplayReader().Read(_dir.Path, warnings.Add).ToList();

        events.Select(e => e.Type).Should().Equal("chat_started", "chat_stopped");
        var warning = warnings.Should().ContainSingle().Subject;
        warning.File.Should().Be(dangling);
        warning.Reason.Should().Contain("cannot be read");
    }

    [Fact]
    public void Read_FilterAndSkip_AreRepeatable()
    {
        var file = WriteFile("run.jsonl",
            Line("phase_started", "2026-05-02T10:00:00Z"),
            Line("tool_called", "2026-05-02T10:00:01Z"),
            Line("tool_failed", "2026-05-02T10:00:02Z"),
            Line("phase_completed", "2026-05-02T10:00:03Z"));

        new ReplayReader(new ReplayOptions { IncludeTypes = ["tool_called", "tool_failed", "phase_started"] })
            .Read(file).Select(e => e.Type).Should().Equal("phase_started", "tool_called", "tool_failed");
        new ReplayReader(new ReplayOptions { SkipTypes = ["tool_called", "tool_failed"] })
            .Read(file).Select(e => e.Type).Should().Equal("phase_started", "phase_completed");
        new ReplayReader(new ReplayOptions { IncludeTypes = ["tool_called", "tool_failed"], SkipTypes = ["tool_failed"] })
            .Read(file).Select(e => e.Type).Should().Equal("tool_called");
    }

    [Fact]
    public void Read_Conversation_ShowsOnlyContextBuiltAndLlmResponse()
    {
        var file = WriteFile("run.jsonl",
            Line("context_built", "2026-05-02T10:00:00Z"),
            Line("llm_called", "2026-05-02T10:00:01Z"),
            Line("llm_response_received", "2026-05-02T10:00:02Z"),
            Line("tool_called", "2026-05-02T10:00:03Z"));

        new ReplayReader(new ReplayOptions { Conversation = true })
            .Read(file).Select(e => e.Type).Should().Equal("context_built", "llm_response_received");
        new ReplayReader(new ReplayOptions { Conversation = true, SkipTypes = ["context_built"] })
            .Read(file).Select(e => e.Type).Should().Equal("llm_response_received");
    }

    [Fact]
    public void Read_SinceUntil_FilterOnEventTimestampsInclusive()
    {
        var file = WriteFile("run.jsonl",
            Line("chat_started", "2026-05-02T09:59:59Z", "{\"n\":1}"),
            Line("chat_started", "2026-05-02T10:00:00Z", "{\"n\":2}"),
            Line("chat_started", "2026-05-02T12:00:00+02:00", "{\"n\":3}"),
            Line("chat_started", "2026-05-02T11:00:00Z", "{\"n\":4}"),
            Line("chat_started", "2026-05-02T11:00:01Z", "{\"n\":5}"));

        var options = new ReplayOptions
        {
            Since = new DateTimeOffset(2026, 5, 2, 10, 0, 0, TimeSpan.Zero),
            Until = new DateTimeOffset(2026, 5, 2, 11, 0, 0, TimeSpan.Zero),
        };

        new ReplayReader(options).Read(file).Select(e => e.Data["n"]).Should().Equal(2L, 3L, 4L);
    }

    [Fact]
    public void Read_MissingPath_ThrowsFileNotFound()
    {
        var act = () => new ReplayReader().Read(_dir.Combine("nope")).ToList();

        act.Should().Throw<FileNotFoundException>().WithMessage("*No file or directory*");
    }
}
