using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Hooks;

public sealed class HookRegistryTests
{
    private static HookLayer Startup(string message = "startup") =>
        HookLayer.FromDefinitions(HookLayerKind.Startup, "reyn.yaml", [new HookDefinition(HookPoint.SessionStart, message, Name: "boot")]);

    [Fact]
    public void Build_CombinesStartupRuntimeAndAgentLayers_InOrder()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push: {message: runtime}\n");
        workspace.Write("agents/a/hooks.yaml", "hooks:\n  - on: skill_end\n    template_push: {message: agent-a}\n");
        workspace.Write("agents/b/hooks.yaml", "hooks:\n  - on: task_end\n    template_push: {message: agent-b}\n");

        var registry = HookRegistry.Build(Startup(), new InSetLoader(workspace.Root).Load());

        registry.Hooks.Select(h => (h.Definition.Message, h.Layer, h.Agent)).Should().Equal(
            ("startup", HookLayerKind.Startup, null),
            ("runtime", HookLayerKind.Runtime, null),
            ("agent-a", HookLayerKind.Agent, "a"),
            ("agent-b", HookLayerKind.Agent, "b"));
        registry.DroppedLayers.Should().BeEmpty();
    }

    [Fact]
    public void Build_BadStartupLayer_FailsLoudlyWithFileAndLine()
    {
        var startup = HookLayer.Parse(HookLayerKind.Startup, "hooks:\n  - on: turn_end\n    template_push:\n      message: \"{{#each items}}\"\n", "reyn.yaml");

        var act = () => HookRegistry.Build(startup, []);

        act.Should().Throw<ConfigValidationException>()
            .Which.Errors.Should().ContainSingle().Which.Should().Match<ConfigError>(e => e.File == "reyn.yaml" && e.Line == 4);
    }

    [Fact]
    public void Build_BadRuntimeLayer_DroppedWithWarning_StartupAndAgentKept()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: whenever\n    template_push: {message: runtime}\n");
        workspace.Write("agents/a/hooks.yaml", "hooks:\n  - on: skill_end\n    template_push: {message: agent-a}\n");
        var logger = new ListLogger<HookRegistry>();

        var registry = HookRegistry.Build(Startup(), new InSetLoader(workspace.Root).Load(), logger);

        registry.Hooks.Select(h => h.Definition.Message).Should().Equal("startup", "agent-a");
        registry.DroppedLayers.Should().ContainSingle().Which.Source.Should().Be(".reyn/hooks.yaml");
        logger.Warnings.Should().ContainSingle().Which.Should().Contain(".reyn/hooks.yaml").And.Contain("whenever");
    }

    [Fact]
    public void Build_BadAgentLayer_DroppedWithWarning_StartupAndRuntimeKept()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push: {message: runtime}\n");
        workspace.Write("agents/a/hooks.yaml", "hooks: {oops: true}\n");
        workspace.Write("agents/b/hooks.yaml", "hooks:\n  - on: task_end\n    template_push: {message: agent-b}\n");
        var logger = new ListLogger<HookRegistry>();

        var registry = HookRegistry.Build(Startup(), new InSetLoader(workspace.Root).Load(), logger);

        registry.Hooks.Select(h => h.Definition.Message).Should().Equal("startup", "runtime", "agent-b");
        logger.Warnings.Should().ContainSingle().Which.Should().Contain(".reyn/agents/a/hooks.yaml");
    }

    [Fact]
    public void Build_UnreadableRuntimeLayer_IsDroppedNotFatal()
    {
        using var workspace = new InSetWorkspace();
        Directory.CreateDirectory(workspace.PathOf("hooks.yaml"));
        var logger = new ListLogger<HookRegistry>();

        var registry = HookRegistry.Build(Startup(), new InSetLoader(workspace.Root).Load(), logger);

        registry.Hooks.Should().ContainSingle().Which.Definition.Message.Should().Be("startup");
        logger.Warnings.Should().ContainSingle();
    }

    [Fact]
    public void FromDefinitions_InvalidTemplate_ReportsError()
    {
        var layer = HookLayer.FromDefinitions(HookLayerKind.Startup, "code", [new HookDefinition(HookPoint.TurnEnd, "{{#if a}}x")]);

        layer.IsValid.Should().BeFalse();
        layer.Errors.Should().ContainSingle().Which.Message.Should().Contain("not a valid Handlebars template");
        layer.Invoking(l => l.ThrowIfInvalid()).Should().Throw<ConfigValidationException>().WithMessage("*code*hooks[0]*");
    }
}
