using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

/// <summary>Drives the machinery the way a session does: take the snapshot at turn start, apply at turn end.</summary>
public sealed class TurnBoundaryTests
{
    private const string HooksV1 = "hooks:\n  - on: turn_end\n    name: v\n    template_push:\n      message: version one\n      wake: false\n";
    private const string HooksV2 = "hooks:\n  - on: turn_end\n    name: v\n    template_push:\n      message: version two\n      wake: false\n";

    [Fact]
    public async Task ConcurrentEditDuringTurn_TurnKeepsItsSnapshot_NextTurnSeesNewConfig()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", HooksV1);
        workspace.Write("cron.yaml", "cron:\n  jobs:\n    - name: a\n      schedule: \"0 9 * * *\"\n      skill: s\n");
        var (log, sink) = RecordingEventSink.CreateLog();
        var table = new RecordingCronJobTable();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root, CronJobs = table }, log);

        // Turn 1 starts and takes its snapshot.
        session.Dispatcher.BeginTurn(hookDriven: false);
        var turnOne = session.Reloader.Current;

        // Someone edits the IN-set while the turn runs, and a reload is requested (watcher, operator or hooks_add).
        var editor = Task.Run(() =>
        {
            workspace.Write("hooks.yaml", HooksV2);
            workspace.Write("cron.yaml", "cron:\n  jobs:\n    - name: b\n      schedule: \"0 10 * * *\"\n      skill: s\n");
            session.Reloader.RequestReload(ReloadSources.Operator);
        });
        await editor.WaitAsync(TimeSpan.FromSeconds(30));

        // Still inside turn 1: the turn's config and hooks are the ones it started with.
        session.Reloader.Current.Should().BeSameAs(turnOne);
        turnOne.Hooks.Hooks.Single().Message.Should().Be("version one");
        turnOne.Cron.Jobs.Single().Name.Should().Be("a");
        var endOfTurnOne = session.Dispatcher.Dispatch(HookPoint.TurnEnd);
        endOfTurnOne.RideAlong.Single().Text.Should().Be("[hook:v] version one");
        table.Calls.Should().BeEmpty();

        // Turn boundary.
        var outcome = await session.Reloader.ApplyPendingAsync();

        // Turn 2 sees the new config.
        session.Dispatcher.BeginTurn(hookDriven: false);
        var turnTwo = session.Reloader.Current;
        turnTwo.Should().NotBeSameAs(turnOne);
        turnTwo.Hooks.Hooks.Single().Message.Should().Be("version two");
        session.Dispatcher.Dispatch(HookPoint.TurnEnd).RideAlong.Single().Text.Should().Be("[hook:v] version two");
        table.Calls.Should().Equal("remove:a", "upsert:b");
        outcome!.Components.Should().Equal("cron", "hooks");
        turnOne.Hooks.Hooks.Single().Message.Should().Be("version one", "a snapshot is immutable");
        sink.OfType(EventTypes.ConfigReloaded).Should().ContainSingle();
    }

    [Fact]
    public async Task HookRemovedFromFile_AbsentAfterReload_StartupHookStays()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", HooksV1);
        var (log, _) = RecordingEventSink.CreateLog();
        var startup = HookLayer.FromDefinitions(HookLayerKind.Startup, "reyn.yaml", [new HookDefinition(HookPoint.TurnEnd, "from reyn.yaml", Wake: false)]);
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root, StartupHooks = startup }, log);
        session.Dispatcher.Dispatch(HookPoint.TurnEnd).RideAlong.Select(p => p.Message).Should().Equal("from reyn.yaml", "version one");

        workspace.Delete("hooks.yaml");
        session.Reloader.RequestReload(ReloadSources.Operator);
        await session.Reloader.ApplyPendingAsync();

        session.Dispatcher.Dispatch(HookPoint.TurnEnd).RideAlong.Select(p => p.Message).Should().Equal("from reyn.yaml");
    }

    [Fact]
    public async Task BadHooksFileAtReload_RejectsWholeReload_LiveHooksUnchanged()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", HooksV1);
        var (log, sink) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);
        var registry = session.Dispatcher.Registry;

        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push:\n      message: \"{{#if x}}open\"\n");
        session.Reloader.RequestReload(ReloadSources.Operator);
        var outcome = await session.Reloader.ApplyPendingAsync();

        outcome!.Rejected.Should().BeTrue();
        session.Dispatcher.Registry.Should().BeSameAs(registry);
        sink.OfType(EventTypes.ConfigReloadRejected).Single().Data.GetString("file").Should().Be(".reyn/hooks.yaml");
    }

    [Fact]
    public void Create_BadStartupLayer_FailsLoudly_BadRuntimeLayerOnlyWarns()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks: 42\n");
        workspace.Write("agents/a/hooks.yaml", "hooks:\n  - on: turn_end\n    template_push: {message: agent}\n");
        var (log, _) = RecordingEventSink.CreateLog();
        var badStartup = HookLayer.Parse(HookLayerKind.Startup, "hooks:\n  - on: never\n    template_push: {message: x}\n", "reyn.yaml");

        var loud = () => SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root, StartupHooks = badStartup }, log);
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        loud.Should().Throw<ConfigValidationException>().WithMessage("*reyn.yaml:2*never*");
        session.Dispatcher.Registry.Hooks.Select(h => h.Definition.Message).Should().Equal("agent");
        session.Dispatcher.Registry.DroppedLayers.Single().Source.Should().Be(".reyn/hooks.yaml");
    }

    [Fact]
    public async Task WakeHooksFromReloadedFile_LoopStopsAtValve()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions
        {
            RootDirectory = workspace.Root,
            Hooks = new HookDispatcherOptions { MaxHookDrivenTurns = 2 },
        }, log);
        await session.HooksAdd.ExecuteAsync(new HooksAddRequest("turn_end", "continue", Name: "loop"));
        await session.Reloader.ApplyPendingAsync();

        var turns = 0;
        var hookDriven = false;
        HookDispatch dispatch;
        do
        {
            session.Dispatcher.BeginTurn(hookDriven);
            turns++;
            dispatch = session.Dispatcher.Dispatch(HookPoint.TurnEnd);
            (await session.Reloader.ApplyPendingAsync()).Should().BeNull();
            hookDriven = dispatch.ShouldWake;
        }
        while (hookDriven && turns < 50);

        turns.Should().Be(3, "one user turn and two hook-driven turns");
        dispatch.ValveClosed.Should().BeTrue();
        dispatch.RideAlong.Single().Text.Should().Be("[hook:loop] continue");
        sink.OfType(EventTypes.HookFired).Should().HaveCount(3);
    }
}
