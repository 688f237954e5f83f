using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Hooks;

public sealed class HookDispatcherTests
{
    private static (HookDispatcher Dispatcher, RecordingEventSink Sink) Create(int maxHookDrivenTurns = 5, params HookDefinition[] hooks) =>
        Create(maxHookDrivenTurns, [HookLayer.FromDefinitions(HookLayerKind.Runtime, ".reyn/hooks.yaml", hooks).ThrowIfInvalid()]);

    private static (HookDispatcher Dispatcher, RecordingEventSink Sink) Create(int maxHookDrivenTurns, HookLayer[] layers)
    {
        var (log, sink) = RecordingEventSink.CreateLog();
        var registry = HookRegistry.Build(null, layers);
        return (new HookDispatcher(registry, log, new HookDispatcherOptions { MaxHookDrivenTurns = maxHookDrivenTurns }), sink);
    }

    private static Dictionary<string, object?> Context(params (string Key, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public void Dispatch_RendersMessageOverContext_WithAttribution()
    {
        var (dispatcher, _) = Create(5, new HookDefinition(HookPoint.SkillEnd, "Skill {{skill}} ended with {{status}} <ok>", Wake: false, Name: "recap"));

        var dispatch = dispatcher.Dispatch(HookPoint.SkillEnd, Context(("skill", "triage"), ("status", "ok")));

        var push = dispatch.RideAlong.Should().ContainSingle().Subject;
        push.Message.Should().Be("Skill triage ended with ok <ok>", "messages are not HTML-escaped");
        push.Text.Should().Be("[hook:recap] Skill triage ended with ok <ok>");
        dispatch.Wake.Should().BeEmpty();
    }

    [Fact]
    public void Dispatch_OnlyHooksOfThatPointFire()
    {
        var (dispatcher, sink) = Create(5, new HookDefinition(HookPoint.TurnStart, "start"), new HookDefinition(HookPoint.TurnEnd, "end"));

        var dispatch = dispatcher.Dispatch(HookPoint.TaskEnd);

        dispatch.Should().BeSameAs(HookDispatch.None);
        sink.Events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("failed", true)]
    [InlineData("ok", false)]
    public void Dispatch_PushWhenGuard_DecidesWhetherThePushHappens(string status, bool expected)
    {
        var (dispatcher, sink) = Create(5, new HookDefinition(HookPoint.SkillEnd, "Look at {{skill}}", Wake: false,
            PushWhen: "{{#if (eq status \"failed\")}}true{{else}}false{{/if}}"));

        var dispatch = dispatcher.Dispatch(HookPoint.SkillEnd, Context(("skill", "triage"), ("status", status)));

        dispatch.RideAlong.Should().HaveCount(expected ? 1 : 0);
        sink.OfType(EventTypes.HookFired).Should().HaveCount(expected ? 1 : 0);
    }

    [Theory]
    [InlineData("{{#if errors}}yes{{/if}}", 3, true)]
    [InlineData("{{#if errors}}yes{{/if}}", 0, false)]
    [InlineData("{{errors}}", 0, false)]
    [InlineData("{{missing}}", 1, false)]
    [InlineData("  True ", 1, true)]
    [InlineData("off", 1, false)]
    public void Dispatch_PushWhenTruthiness(string guard, int errors, bool expected)
    {
        var (dispatcher, _) = Create(5, new HookDefinition(HookPoint.TurnEnd, "m", PushWhen: guard));

        var dispatch = dispatcher.Dispatch(HookPoint.TurnEnd, Context(("errors", errors)));

        dispatch.Wake.Should().HaveCount(expected ? 1 : 0);
    }

    [Fact]
    public void Dispatch_WakeDefaultsTrue_WakeFalseRidesAlong()
    {
        var (dispatcher, _) = Create(5, new HookDefinition(HookPoint.TurnEnd, "wake me"), new HookDefinition(HookPoint.TurnEnd, "later", Wake: false));

        var dispatch = dispatcher.Dispatch(HookPoint.TurnEnd);

        dispatch.ShouldWake.Should().BeTrue();
        dispatch.Wake.Select(p => p.Message).Should().Equal("wake me");
        dispatch.RideAlong.Select(p => p.Message).Should().Equal("later");
    }

    [Fact]
    public void Dispatch_PerAgentHook_FiresOnlyForItsAgent()
    {
        var global = HookLayer.FromDefinitions(HookLayerKind.Runtime, ".reyn/hooks.yaml", [new HookDefinition(HookPoint.TurnEnd, "global")]);
        var agentA = HookLayer.FromDefinitions(HookLayerKind.Agent, ".reyn/agents/a/hooks.yaml", [new HookDefinition(HookPoint.TurnEnd, "for {{agent}}")], agent: "a");
        var (dispatcher, _) = Create(5, [global, agentA]);

        dispatcher.Dispatch(HookPoint.TurnEnd, agent: "a").Wake.Select(p => p.Message).Should().Equal("global", "for a");
        dispatcher.Dispatch(HookPoint.TurnEnd, agent: "b").Wake.Select(p => p.Message).Should().Equal("global");
    }

    [Fact]
    public void Dispatch_EmitsHookFiredWithCatalogFields()
    {
        var (dispatcher, sink) = Create(5, new HookDefinition(HookPoint.TurnEnd, "hello {{who}}", Name: "greeter"));

        dispatcher.Dispatch(HookPoint.TurnEnd, Context(("who", "you")), agent: "main");

        var evt = sink.OfType(EventTypes.HookFired).Should().ContainSingle().Subject;
        evt.Data.GetString("on").Should().Be("turn_end");
        evt.Data.GetString("name").Should().Be("greeter");
        evt.Data["wake"].Should().Be(true);
        evt.Data.GetString("message").Should().Be("hello you");
        evt.Data.GetString("agent").Should().Be("main");
        EventCatalog.TryGet(EventTypes.HookFired, out var kind).Should().BeTrue();
        kind.RequiredFields.Should().OnlyContain(f => evt.Data.ContainsKey(f));
    }

    [Fact]
    public void WakeLoop_StopsAtTheValve()
    {
        const int max = 3;
        var (dispatcher, sink) = Create(max, new HookDefinition(HookPoint.TurnEnd, "keep going ({{turn}})", Name: "loop"));

        // The session loop: a user turn, then as many hook-driven turns as turn_end wake pushes ask for.
        var turns = new List<string>();
        var hookDriven = false;
        HookDispatch dispatch;
        var turn = 0;
        do
        {
            dispatcher.BeginTurn(hookDriven);
            turns.Add(hookDriven ? "hook" : "user");
            dispatch = dispatcher.Dispatch(HookPoint.TurnEnd, Context(("turn", ++turn)));
            hookDriven = dispatch.ShouldWake;
            turns.Count.Should().BeLessThan(100, "the valve must stop the loop");
        }
        while (hookDriven);

        turns.Should().Equal("user", "hook", "hook", "hook");
        dispatcher.HookDrivenTurns.Should().Be(max);
        dispatch.ValveClosed.Should().BeTrue();
        dispatch.RideAlong.Should().ContainSingle().Which.Should().Match<HookPush>(p => p.ValveClosed && !p.Wake && p.Text == "[hook:loop] keep going (4)");
        var fired = sink.OfType(EventTypes.HookFired);
        fired.Should().HaveCount(4);
        fired[^1].Data["valve_closed"].Should().Be(true);
        fired.Take(3).Should().OnlyContain(e => !e.Data.ContainsKey("valve_closed"));
    }

    [Fact]
    public void BeginTurn_UserTurn_ReopensTheValve()
    {
        var (dispatcher, _) = Create(1, new HookDefinition(HookPoint.TurnEnd, "again"));
        dispatcher.BeginTurn(hookDriven: true);
        dispatcher.Dispatch(HookPoint.TurnEnd).ShouldWake.Should().BeFalse();

        dispatcher.BeginTurn(hookDriven: false);

        dispatcher.HookDrivenTurns.Should().Be(0);
        dispatcher.Dispatch(HookPoint.TurnEnd).ShouldWake.Should().BeTrue();
    }

    [Fact]
    public void Options_ZeroDisablesWaking_NegativeIsRefused()
    {
        var (dispatcher, _) = Create(0, new HookDefinition(HookPoint.TurnEnd, "x"));
        dispatcher.Dispatch(HookPoint.TurnEnd).Should().Match<HookDispatch>(d => !d.ShouldWake && d.RideAlong.Count == 1 && d.ValveClosed);

        var (log, _) = RecordingEventSink.CreateLog();
        var act = () => new HookDispatcher(HookRegistry.Empty, log, new HookDispatcherOptions { MaxHookDrivenTurns = -1 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*max_hook_driven_turns*");
    }

    [Fact]
    public void ReplaceRegistry_ReportsWhetherHooksChanged()
    {
        var (dispatcher, _) = Create(5, new HookDefinition(HookPoint.TurnEnd, "x"));
        var same = HookRegistry.Build(null, [HookLayer.FromDefinitions(HookLayerKind.Runtime, "f", [new HookDefinition(HookPoint.TurnEnd, "x")])]);
        var other = HookRegistry.Build(null, [HookLayer.FromDefinitions(HookLayerKind.Runtime, "f", [new HookDefinition(HookPoint.TurnEnd, "y")])]);

        dispatcher.ReplaceRegistry(same).Should().BeFalse();
        dispatcher.ReplaceRegistry(other).Should().BeTrue();
        dispatcher.Registry.Should().BeSameAs(other);
    }
}
