using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.Tests.Support;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Sessions;

/// <summary>Hot reload and hooks through the real session built by AddReyn (real files on disk).</summary>
/// <remarks>xUnit 2 disposes a test class through <see cref="IAsyncLifetime"/>, not <see cref="IAsyncDisposable"/>.</remarks>
public sealed class SessionHotReloadTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("reyn-session-reload");
    private ServiceProvider? _provider;

    private string Root => _dir.Combine(".reyn");

    private RecordingSink Sink { get; } = new();

    private FakeChatClient Chat { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _dir.Dispose();
    }

    private ReynRuntime Start(string? reynYaml = null, params SkillDefinition[] skills)
    {
        Directory.CreateDirectory(Root);
        string? configFile = null;
        if (reynYaml is not null)
        {
            configFile = _dir.Combine("reyn.yaml");
            File.WriteAllText(configFile, reynYaml);
        }

        var services = new ServiceCollection();
        services.AddSingleton<IEventSink>(Sink);
        services.AddSingleton<IChatClient>(Chat);
        foreach (var skill in skills)
        {
            services.AddReynSkill(skill);
        }

        services.AddReyn(o =>
        {
            o.RootDirectory = Root;
            o.WorkspaceDirectory = _dir.Combine("workspace");
            o.WalDurability = null;
        }, configFile);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return _provider.GetRequiredService<ReynRuntime>();
    }

    private List<string?> FiredOn() => [.. Sink.OfType(EventTypes.HookFired).Select(e => e.Data.GetString("on"))];

    [Fact]
    public async Task RunTurnAsync_WakeHookLoop_StopsAtValveFromReynYaml()
    {
        var runtime = Start("""
            safety:
              loop:
                max_hook_driven_turns: 2
            hooks:
              - on: turn_end
                name: nudge
                template_push:
                  message: "continue after turn {{turn}}"
                  wake: true
            """);
        await using var session = runtime.CreateSession("s1");

        var first = await session.RunTurnAsync("hello");

        first.Kind.Should().Be("chat");
        session.HookDrivenTurns.Should().HaveCount(2, "the valve allows 2 hook-driven turns in a row");
        Sink.OfType(EventTypes.TurnStarted).Select(e => e.Data.GetString("kind")).Should().Equal("user", "hook", "hook");
        var fired = Sink.OfType(EventTypes.HookFired);
        fired.Should().HaveCount(3);
        fired.Last().Data.ContainsKey("valve_closed").Should().BeTrue("the third wake push is held back by the valve");
        Chat.Calls[1][^1].Text.Should().Be("[hook:nudge] continue after turn 1");
        session.TurnCount.Should().Be(3);
    }

    [Fact]
    public async Task RunTurnAsync_HookPoints_FireAtSessionTurnAndSkillLifecycle()
    {
        var probe = Skill.Create("probe").Phase("work", _ => Task.FromResult(PhaseResult.Finish("ok"))).Build();
        var runtime = Start("""
            hooks:
              - { on: session_start, template_push: { message: "hi {{session_id}}", wake: false } }
              - { on: turn_start, template_push: { message: "turn {{turn}}", wake: false } }
              - { on: skill_start, template_push: { message: "start {{skill}}", wake: false } }
              - { on: skill_end, template_push: { message: "end {{skill}} {{status}}", wake: false } }
              - { on: turn_end, template_push: { message: "done {{turn}}", wake: false } }
              - { on: session_end, template_push: { message: "bye", wake: false } }
            """, probe);

        await using (var session = runtime.CreateSession("s2"))
        {
            await session.RunTurnAsync("/run probe");
        }

        FiredOn().Should().Equal("session_start", "turn_start", "skill_start", "skill_end", "turn_end", "session_end");
        Sink.OfType(EventTypes.HookFired).Select(e => e.Data.GetString("message")).Should().Contain(["hi s2", "end probe success"]);
    }

    [Fact]
    public async Task RequestReload_EditDuringTurn_TurnKeepsSnapshotNextTurnSeesNewHooks()
    {
        ReynSession? session = null;
        var hooksDuringTurn = -1;
        var editor = Skill.Create("editor").Phase("edit", ctx =>
        {
            File.WriteAllText(Path.Combine(Root, "hooks.yaml"), """
                hooks:
                  - on: turn_end
                    name: memo
                    template_push: { message: "remember turn {{turn}}", wake: false }
                """);
            session!.RequestReload();
            hooksDuringTurn = session.TurnConfig!.Hooks.Hooks.Count;
            return Task.FromResult(PhaseResult.Finish("edited"));
        }).Build();
        var runtime = Start(null, editor);
        session = runtime.CreateSession("s3");

        await session.RunTurnAsync("/run editor");
        var afterFirst = FiredOn().Count;
        var reloaded = Sink.OfType(EventTypes.ConfigReloaded);
        await session.RunTurnAsync("hello");
        await session.RunTurnAsync("again");
        await session.DisposeAsync();

        hooksDuringTurn.Should().Be(0, "the turn keeps the snapshot it started with");
        afterFirst.Should().Be(0, "the new hook was not live during the turn that wrote it");
        reloaded.Should().ContainSingle().Which.Data.GetString("source").Should().Be("operator");
        session.TurnConfig!.Hooks.Hooks.Should().ContainSingle().Which.Name.Should().Be("memo");
        FiredOn().Should().Equal("turn_end", "turn_end");
        Chat.Calls[^1].Select(m => m.Text).Should().Contain("[hook:memo] remember turn 2", "a ride-along push goes with the next turn");
        session.LastTurnHookPushes.Should().ContainSingle();
    }

    [Fact]
    public async Task HooksAddOp_InSessionSkill_AppliesAtTurnBoundaryWithLlmOpSource()
    {
        var adder = Skill.Create("adder")
            .Permissions(p => p.AllowOps("hooks_add"))
            .Phase("add", async ctx =>
            {
                var r = await ctx.CallOpAsync("hooks_add", new { on = "turn_end", message = "added by skill", name = "added", wake = false });
                return r.IsOk ? PhaseResult.Finish("ok") : PhaseResult.Abort(r.ToString());
            }).Build();
        var runtime = Start(null, adder);
        await using var session = runtime.CreateSession("s4");

        var turn = await session.RunTurnAsync("/run adder");
        await session.RunTurnAsync("hello");

        turn.Run!.Succeeded.Should().BeTrue(turn.Run.Error);
        File.ReadAllText(Path.Combine(Root, "hooks.yaml")).Should().Contain("added by skill");
        Sink.OfType(EventTypes.ConfigReloaded).Should().ContainSingle().Which.Data.GetString("source").Should().Be("llm_op");
        FiredOn().Should().Equal("turn_end");
    }

    [Fact]
    public async Task RequestReload_MalformedHooksFile_RejectedSessionKeepsRunning()
    {
        var runtime = Start();
        await using var session = runtime.CreateSession("s5");
        File.WriteAllText(Path.Combine(Root, "hooks.yaml"), "hooks:\n  - on: lunch\n    template_push: { message: x }\n");

        session.RequestReload();
        await session.RunTurnAsync("hello");
        var next = await session.RunTurnAsync("still here");

        Sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle().Which.Data.GetString("reason").Should().Contain("hooks.yaml");
        Sink.OfType(EventTypes.ConfigReloaded).Should().BeEmpty();
        next.Kind.Should().Be("chat");
    }

    [Fact]
    public async Task AddReyn_InvalidStartupHooksInReynYaml_FailsLoudlyAtBoot()
    {
        var act = () => Start("hooks:\n  - on: lunch\n    template_push: { message: x }\n");

        act.Should().Throw<Reyn.Runtime.HotReload.ConfigValidationException>().WithMessage("*reyn.yaml*");
    }
}
