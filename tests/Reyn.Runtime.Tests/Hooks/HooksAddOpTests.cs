using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Hooks;

public sealed class HooksAddOpTests
{
    private static RuntimeHarness Harness(RecordingScheduler scheduler, Action<ReynOptions>? configure = null) =>
        new(configure, services: s => s.AddSingleton<IOp>(sp => new HooksAddOp(new HooksAddOperation(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReynOptions>>().Value.RootDirectory, scheduler))));

    private static async Task<OpResult?> CallAsync(RuntimeHarness h, Action<SkillPermissionsBuilder>? permissions)
    {
        OpResult? result = null;
        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("hooks_add", new { on = "turn_end", message = "remember {{skill}}", name = "memo" });
            return null;
        }, permissions));
        return result;
    }

    [Fact]
    public async Task HooksAdd_ListedInSkillPermissions_WritesHookAndSchedulesLlmOpReload()
    {
        var scheduler = new RecordingScheduler();
        await using var h = Harness(scheduler);

        var result = await CallAsync(h, p => p.AllowOps("hooks_add"));

        result!.IsOk.Should().BeTrue(result.ToString());
        result.GetData<Dictionary<string, object>>()["added"].ToString().Should().Be("True");
        scheduler.Sources.Should().Equal("llm_op");
        h.Runtime.Ops.PurityOf("hooks_add").Should().Be(OpPurity.SideEffect);
        new InSetLoader(h.Directory.Combine(".reyn")).Load().Hooks.Hooks.Should().Equal(new HookDefinition(HookPoint.TurnEnd, "remember {{skill}}", Name: "memo"));
        h.Sink.OfType(EventTypes.PermissionGranted).Should().Contain(e => e.Data.GetString("op") == "hooks_add");
    }

    [Fact]
    public async Task HooksAdd_NotListedInSkillPermissions_DeniedAndNothingWritten()
    {
        var scheduler = new RecordingScheduler();
        await using var h = Harness(scheduler);

        var result = await CallAsync(h, null);

        result!.Error!.Kind.Should().Be("permission_denied");
        File.Exists(h.Directory.Combine(".reyn", "hooks.yaml")).Should().BeFalse();
        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public async Task HooksAdd_ToolDenyInCapabilityProfile_DeniedEvenIfSkillAllows()
    {
        var scheduler = new RecordingScheduler();
        await using var h = Harness(scheduler, o => o.Permissions.ToolDeny.Add("hooks_add"));

        var result = await CallAsync(h, p => p.AllowOps("hooks_add"));

        result!.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("tool_deny");
        File.Exists(h.Directory.Combine(".reyn", "hooks.yaml")).Should().BeFalse();
        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public async Task HooksAdd_InvalidHook_StructuredErrorNotException()
    {
        var scheduler = new RecordingScheduler();
        await using var h = Harness(scheduler);
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("hooks_add", new { on = "lunch", message = "x", path = "../reyn.yaml" });
            return null;
        }, p => p.AllowOps("hooks_add")));

        result!.Error!.Kind.Should().Be("invalid_hook");
        result.Error.Message.Should().Contain("unknown parameter 'path'");
        scheduler.Sources.Should().BeEmpty();
    }
}
