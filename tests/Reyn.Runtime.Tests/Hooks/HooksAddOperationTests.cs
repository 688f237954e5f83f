using System.Text.Json;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Hooks;

public sealed class HooksAddOperationTests
{
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(p => (File.GetAttributes(p) & FileAttributes.ReparsePoint) == 0)
            .ToDictionary(p => Path.GetRelativePath(directory, p), File.ReadAllText);

    [Fact]
    public void ParameterNames_AreExactlyTheSpecifiedOnes()
    {
        HooksAddRequest.ParameterNames.Should().Equal("on", "message", "wake", "push_when", "name");
        typeof(HooksAddRequest).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name).Should().BeEquivalentTo("On", "Message", "Wake", "PushWhen", "Name");
    }

    [Fact]
    public async Task Execute_ValidHook_WritesOnlyHooksYamlAndSchedulesLlmOpReload()
    {
        using var workspace = new InSetWorkspace();
        File.WriteAllText(workspace.ReynYaml, "safety:\n  loop:\n    max_hook_driven_turns: 2\n");
        workspace.Write("cron.yaml", "cron:\n  jobs: []\n");
        var before = Snapshot(workspace.ProjectDirectory);
        var scheduler = new RecordingScheduler();
        var op = new HooksAddOperation(workspace.Root, scheduler);

        var result = await op.ExecuteAsync(new HooksAddRequest("turn_end", "Check {{skill}}", PushWhen: "{{failed}}", Name: "checker"));

        result.Should().Be(new HooksAddResult(true, "turn_end", Added: true, ReloadScheduled: true, workspace.PathOf("hooks.yaml"), null));
        scheduler.Sources.Should().Equal("llm_op");
        var after = Snapshot(workspace.ProjectDirectory);
        after.Keys.Except(before.Keys).Should().Equal(Path.Combine(".reyn", "hooks.yaml"));
        before.Should().AllSatisfy(kv => after[kv.Key].Should().Be(kv.Value, $"{kv.Key} must not change"));
        var layer = new InSetLoader(workspace.Root).Load().Hooks;
        layer.Hooks.Should().Equal(new HookDefinition(HookPoint.TurnEnd, "Check {{skill}}", Wake: true, PushWhen: "{{failed}}", Name: "checker"));
    }

    [Fact]
    public async Task Execute_WakeOmitted_DefaultsToTrue_WakeFalseKept()
    {
        using var workspace = new InSetWorkspace();
        var op = new HooksAddOperation(workspace.Root, new RecordingScheduler());

        await op.ExecuteAsync(new HooksAddRequest("skill_end", "a"));
        await op.ExecuteAsync(new HooksAddRequest("skill_end", "b", Wake: false));

        new InSetLoader(workspace.Root).Load().Hooks.Hooks.Select(h => (h.Message, h.Wake)).Should().Equal(("a", true), ("b", false));
    }

    [Fact]
    public async Task Execute_IdenticalHookExists_NotAddedAgainAndFileUntouched()
    {
        using var workspace = new InSetWorkspace();
        var scheduler = new RecordingScheduler();
        var op = new HooksAddOperation(workspace.Root, scheduler);
        await op.ExecuteAsync(new HooksAddRequest("turn_start", "hello", Name: "greet"));
        var text = File.ReadAllText(op.TargetPath);

        var again = await op.ExecuteAsync(new HooksAddRequest("turn_start", "hello", Wake: true, Name: "greet"));

        again.Ok.Should().BeTrue();
        again.Added.Should().BeFalse();
        again.ReloadScheduled.Should().BeFalse();
        File.ReadAllText(op.TargetPath).Should().Be(text);
        scheduler.Sources.Should().Equal("llm_op");
    }

    [Fact]
    public async Task Execute_ExistingHooksKept_NewOneAppended()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "# operator hooks\nhooks:\n  - on: session_start\n    name: welcome\n    template_push:\n      message: Welcome\n      wake: false\n");
        var op = new HooksAddOperation(workspace.Root, new RecordingScheduler());

        await op.ExecuteAsync(new HooksAddRequest("task_end", "Task {{task}} done"));

        new InSetLoader(workspace.Root).Load().Hooks.Hooks.Should().Equal(
            new HookDefinition(HookPoint.SessionStart, "Welcome", Wake: false, Name: "welcome"),
            new HookDefinition(HookPoint.TaskEnd, "Task {{task}} done"));
    }

    [Theory]
    [InlineData("turn_middle", "hi", null, "'on' is 'turn_middle'")]
    [InlineData("turn_end", "{{#if x}}unclosed", null, "'message' is not a valid Handlebars template")]
    [InlineData("turn_end", "hi", "{{#each}}", "'push_when' is not a valid Handlebars template")]
    [InlineData("turn_end", "  ", null, "'message' is required")]
    public async Task Execute_InvalidHook_RefusedAndNothingWritten(string on, string message, string? pushWhen, string fragment)
    {
        using var workspace = new InSetWorkspace();
        var scheduler = new RecordingScheduler();
        var op = new HooksAddOperation(workspace.Root, scheduler);

        var result = await op.ExecuteAsync(new HooksAddRequest(on, message, PushWhen: pushWhen));

        result.Ok.Should().BeFalse();
        result.Error.Should().StartWith("invalid hook: ").And.Contain(fragment);
        result.ToPayload()["status"].Should().Be("error");
        File.Exists(op.TargetPath).Should().BeFalse();
        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public async Task Execute_PathParameter_IsRefused()
    {
        using var workspace = new InSetWorkspace();
        File.WriteAllText(workspace.ReynYaml, "security: strict\n");
        var op = new HooksAddOperation(workspace.Root, new RecordingScheduler());

        var result = await op.ExecuteAsync(new Dictionary<string, object?>
        {
            ["on"] = "turn_end",
            ["message"] = "x",
            ["path"] = workspace.ReynYaml,
        });

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain("unknown parameter 'path'");
        File.ReadAllText(workspace.ReynYaml).Should().Be("security: strict\n");
        File.Exists(op.TargetPath).Should().BeFalse();
    }

    [Fact]
    public async Task Execute_JsonArguments_AreAccepted()
    {
        using var workspace = new InSetWorkspace();
        var op = new HooksAddOperation(workspace.Root, new RecordingScheduler());
        using var json = JsonDocument.Parse("""{"on":"turn_end","message":"m","wake":false,"push_when":null,"name":"n"}""");
        var arguments = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        var result = await op.ExecuteAsync(arguments);

        result.ToPayload().Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["status"] = "ok",
            ["on"] = "turn_end",
            ["added"] = true,
            ["reload_scheduled"] = true,
            ["path"] = op.TargetPath,
        });
        new InSetLoader(workspace.Root).Load().Hooks.Hooks.Should().Equal(new HookDefinition(HookPoint.TurnEnd, "m", Wake: false, Name: "n"));
    }

    [Fact]
    public async Task Execute_ExistingFileInvalid_LeftUntouched()
    {
        using var workspace = new InSetWorkspace();
        const string broken = "hooks:\n  - on: turn_end\n    template_push: [oops\n";
        workspace.Write("hooks.yaml", broken);
        var scheduler = new RecordingScheduler();
        var op = new HooksAddOperation(workspace.Root, scheduler);

        var result = await op.ExecuteAsync(new HooksAddRequest("turn_end", "x"));

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain(".reyn/hooks.yaml").And.Contain("fix or remove it");
        File.ReadAllText(op.TargetPath).Should().Be(broken);
        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public async Task Execute_HooksYamlIsSymlinkToReynYaml_ReynYamlNeverWritten()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var workspace = new InSetWorkspace();
        const string outSet = "hooks:\n  - on: turn_end\n    template_push: {message: trusted}\n";
        File.WriteAllText(workspace.ReynYaml, outSet);
        File.CreateSymbolicLink(workspace.PathOf("hooks.yaml"), workspace.ReynYaml);
        var op = new HooksAddOperation(workspace.Root, new RecordingScheduler());

        var result = await op.ExecuteAsync(new HooksAddRequest("turn_end", "sneaky"));

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain("symbolic link");
        File.ReadAllText(workspace.ReynYaml).Should().Be(outSet);
    }

    [Fact]
    public async Task Execute_ThenTurnBoundary_HookIsLiveForTheNextTurn()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        await session.HooksAdd.ExecuteAsync(new HooksAddRequest("turn_end", "added by the agent", Name: "self"));
        var duringTurn = session.Dispatcher.Dispatch(HookPoint.TurnEnd);
        var outcome = await session.Reloader.ApplyPendingAsync();
        var nextTurn = session.Dispatcher.Dispatch(HookPoint.TurnEnd);

        duringTurn.Should().BeSameAs(HookDispatch.None, "the hook takes effect only at the turn boundary");
        outcome!.Source.Should().Be("llm_op");
        outcome.Components.Should().Equal("hooks");
        nextTurn.Wake.Should().ContainSingle().Which.Text.Should().Be("[hook:self] added by the agent");
        sink.OfType(EventTypes.ConfigReloaded).Single().Data.GetString("source").Should().Be("llm_op");
    }
}
