using Reyn.Cli.Tests.Events.Support;
using static Reyn.Cli.Tests.Events.Support.EventsCliFixture;

namespace Reyn.Cli.Tests.Events;

public sealed class EventsReplayCommandTests : IDisposable
{
    private readonly EventsCliFixture _f = new();

    public void Dispose() => _f.Dispose();

    private string SeedRun() => _f.WriteJsonl("2026-05/run-20260518-abc.jsonl",
        Line("phase_started", "2026-05-18T10:00:00Z", "{\"phase\":\"plan\",\"visit_count\":1,\"run_id\":\"run-20260518-abc\"}"),
        Line("context_built", "2026-05-18T10:00:01Z", "{\"phase\":\"plan\",\"visit_count\":1,\"instructions\":\"Plan the fix\"}"),
        Line("llm_response_received", "2026-05-18T10:00:02Z", "{\"phase\":\"plan\",\"model\":\"m1\",\"raw\":\"do X\"}"),
        "garbage {",
        Line("tool_failed", "2026-05-18T10:00:03Z", "{\"op\":\"shell\",\"error\":\"exit 2\"}"),
        Line("phase_completed", "2026-05-18T10:00:04Z", "{\"phase\":\"plan\",\"next_phase\":\"build\"}"));

    [Fact]
    public async Task Replay_RunId_ResolvesUnderRootEventsAndRendersEachEvent()
    {
        SeedRun();

        var result = await _f.RunAsync("events", "replay", "run-20260518-abc");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("[phase:plan] started (visit #1)").And.Contain("shell").And.Contain("exit 2").And.Contain("[phase:plan] → build");
        result.Out.Should().NotContain("[LLM INPUT]", "conversation frames show only with --conversation");
        result.Out.Should().Contain("(5 matched, 3 rendered from ");
        result.Error.Should().Contain("run-20260518-abc.jsonl:4:").And.Contain("warning:");
    }

    [Fact]
    public async Task Replay_FilterAndSkipRepeatable_SelectTypes()
    {
        var file = SeedRun();

        var result = await _f.RunAsync("events", "replay", file, "--filter", "tool_failed", "--filter", "phase_completed", "--skip", "phase_completed", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        using var json = result.Json();
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().Equal("tool_failed");
        json.RootElement.GetProperty("warnings").EnumerateArray().Should().ContainSingle().Which.GetString().Should().Contain(":4:");
    }

    [Fact]
    public async Task Replay_Conversation_ShowsLlmInputAndOutputOnly()
    {
        var file = SeedRun();

        var result = await _f.RunAsync("events", "replay", file, "--conversation");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("[LLM INPUT] phase=plan").And.Contain("Plan the fix").And.Contain("[LLM OUTPUT] phase=plan").And.Contain("do X");
        result.Out.Should().NotContain("[phase:plan] started");
        result.Out.Should().Contain("(2 matched, 2 rendered");
    }

    [Fact]
    public async Task Replay_DirectoryWithSinceUntil_FiltersOnEventTimestamps()
    {
        SeedRun();
        _f.WriteJsonl("2026-05/session-x.jsonl", Line("chat_started", "2026-05-18T09:00:00Z", "{\"session_id\":\"x\"}"));

        var result = await _f.RunAsync("events", "replay", Path.Combine(_f.Root, "events"), "--since", "2026-05-18T10:00:02Z", "--until", "2026-05-18T10:00:03Z", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        using var json = result.Json();
        json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .Should().Equal("llm_response_received", "tool_failed");
        json.RootElement.GetProperty("fileCount").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Replay_Directory_IsChronologicalAcrossFiles()
    {
        SeedRun();
        _f.WriteJsonl("2026-05/session-x.jsonl", Line("chat_started", "2026-05-18T09:00:00Z", "{\"session_id\":\"x\"}"));

        var result = await _f.RunAsync("events", "replay", Path.Combine(_f.Root, "events"), "--json");

        using var json = result.Json();
        json.RootElement.GetProperty("events").EnumerateArray().First().GetProperty("type").GetString().Should().Be("chat_started");
    }

    [Theory]
    [InlineData("--filter", "tool_fialed", "Unknown event type 'tool_fialed' for --filter")]
    [InlineData("--skip", "nope_nope_nope_nope", "Unknown event type 'nope_nope_nope_nope' for --skip")]
    [InlineData("--since", "soon", "Bad value for --since")]
    public async Task Replay_BadFlags_ExitTwo(string flag, string value, string expected)
    {
        var file = SeedRun();

        var result = await _f.RunAsync("events", "replay", file, flag, value);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain(expected).And.NotContain("   at ");
    }

    [Fact]
    public async Task Replay_UnknownRunId_ExitsTwoNamingWhereItLooked()
    {
        var result = await _f.RunAsync("events", "replay", "run-missing");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("run-missing").And.Contain("<yyyy-MM>");
    }
}
