using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Sessions;

public sealed class ReynSessionTests
{
    private sealed class RecordingBoundary(RecordingSink sink) : ITurnBoundaryHandler
    {
        public List<(TurnBoundary Boundary, int EventsSoFar)> Seen { get; } = [];

        public ValueTask OnTurnBoundaryAsync(TurnBoundary boundary, CancellationToken cancellationToken)
        {
            Seen.Add((boundary, sink.Events.Count));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingBoundary : ITurnBoundaryHandler
    {
        public ValueTask OnTurnBoundaryAsync(TurnBoundary boundary, CancellationToken cancellationToken) => throw new InvalidOperationException("reload failed");
    }

    private static SkillDefinition Echo => Skill.Create("echo").Phase("only", ctx => Task.FromResult(PhaseResult.Finish(new { got = ctx.InputAs<string>() }))).Build();

    [Fact]
    public async Task RunTurnAsync_RunCommand_RoutesToSkillRunAndEmitsTurnEvents()
    {
        await using var h = new RuntimeHarness(services: s => s.AddReynSkill(Echo));
        await using var session = h.Runtime.CreateSession("s1");

        var turn = await session.RunTurnAsync("/run echo hello there");

        turn.Kind.Should().Be("skill");
        turn.Run!.Succeeded.Should().BeTrue();
        turn.Run.Output.Json!.Value.GetProperty("got").GetString().Should().Be("hello there");
        var types = h.Sink.Events.Select(e => e.Type).ToList();
        types.Should().ContainInOrder("chat_started", "turn_started", "user_message_received", "skill_run_spawned", "run_skill_started", "run_skill_completed", "turn_completed");
        var spawned = h.Sink.OfType(EventTypes.SkillRunSpawned).Single();
        spawned.Data.GetString("run_id").Should().Be(turn.Run.RunId);
        h.Sink.OfType(EventTypes.RunSkillStarted).Single().Data.GetString("chain_id").Should().Be(turn.ChainId);
        h.Sink.OfType(EventTypes.TurnCompleted).Single().Data.GetString("chain_id").Should().Be(turn.ChainId);
        h.Sink.OfType(EventTypes.TurnStarted).Single().Data.GetString("session_id").Should().Be("s1");
    }

    [Fact]
    public async Task RunTurnAsync_PlainMessage_ChatReplyWithHistory()
    {
        await using var h = new RuntimeHarness();
        await using var session = h.Runtime.CreateSession();

        var first = await session.RunTurnAsync("hello");
        var second = await session.RunTurnAsync("again");

        first.Kind.Should().Be("chat");
        first.Reply.Should().Be("ok: hello");
        second.Turn.Should().Be(2);
        h.Chat.Calls[1].Select(m => m.Text).Should().Equal("hello", "ok: hello", "again");
        h.Sink.OfType(EventTypes.LlmResponseReceived).Should().HaveCount(2);
        h.Sink.OfType(EventTypes.TurnCompleted).Should().HaveCount(2);
    }

    [Fact]
    public async Task RunTurnAsync_UnknownSkill_RefusedWithRegisteredNames()
    {
        await using var h = new RuntimeHarness(services: s => s.AddReynSkill(Echo));
        await using var session = h.Runtime.CreateSession();

        var turn = await session.RunTurnAsync("/run nope");

        turn.Kind.Should().Be("refused");
        turn.Reply.Should().Contain("No skill named 'nope'").And.Contain("echo");
        h.Sink.OfType(EventTypes.SkillSpawnRefused).Single().Data.GetString("skill").Should().Be("nope");
        h.Sink.OfType(EventTypes.TurnCompleted).Should().ContainSingle();
    }

    [Fact]
    public async Task RunTurnAsync_TurnBoundaryHandlers_RunAfterTurnCompletedInOrder_FailureIsolated()
    {
        RecordingBoundary? boundary = null;
        await using var h = new RuntimeHarness(services: s => s
            .AddSingleton<ITurnBoundaryHandler, ThrowingBoundary>()
            .AddSingleton<ITurnBoundaryHandler>(sp => boundary = new RecordingBoundary(sp.GetServices<Reyn.Events.IEventSink>().OfType<RecordingSink>().Single())));
        await using var session = h.Runtime.CreateSession();

        var turn = await session.RunTurnAsync("hi");

        boundary!.Seen.Should().ContainSingle();
        var (seen, eventsSoFar) = boundary.Seen[0];
        seen.Turn.Should().Be(1);
        seen.ChainId.Should().Be(turn.ChainId);
        h.Sink.Events[eventsSoFar - 1].Type.Should().Be("turn_completed", "the boundary comes after the turn's last event");
    }

    [Fact]
    public async Task DisposeAsync_EmitsChatStopped()
    {
        await using var h = new RuntimeHarness();
        var session = h.Runtime.CreateSession("bye");

        await session.DisposeAsync();

        h.Sink.OfType(EventTypes.ChatStopped).Single().Data.GetString("session_id").Should().Be("bye");
    }

    [Fact]
    public async Task Dispose_Synchronous_EmitsChatStoppedOnce()
    {
        await using var h = new RuntimeHarness();
        var session = h.Runtime.CreateSession("bye-sync");

        using (session)
        {
        }

        await session.DisposeAsync();
        h.Sink.OfType(EventTypes.ChatStopped).Should().ContainSingle().Which.Data.GetString("session_id").Should().Be("bye-sync");
    }
}
