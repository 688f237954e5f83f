using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Ops;

public sealed class OpRegistryTests
{
    [Fact]
    public async Task AddReyn_RegistersBuiltInsWithPurity()
    {
        await using var h = new RuntimeHarness();

        var ops = h.Runtime.Ops;

        ops.Kinds.Should().Contain(["read_file", "write_file", "edit_file", "grep", "shell", "web_fetch"]);
        ops.PurityOf("web_fetch").Should().Be(OpPurity.World);
        ops.PurityOf("shell").Should().Be(OpPurity.SideEffect);
        ops.PurityOf("write_file").Should().Be(OpPurity.SideEffect);
        ops.PurityOf("something_unknown").Should().Be(OpPurity.SideEffect);
    }

    [Fact]
    public async Task CallOpAsync_UnknownOp_UnknownToolErrorWithDidYouMean()
    {
        await using var h = new RuntimeHarness();
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("reed_file", new { path = "a" });
            return null;
        }, p => p.AllowOps("read_file")));

        result!.Error!.Kind.Should().Be("unknown_tool");
        result.Error.Message.Should().Contain("Did you mean 'read_file'?");
        var evt = h.Sink.OfType(EventTypes.UnknownTool).Single();
        evt.Data.GetString("op").Should().Be("reed_file");
        evt.Data.GetString("suggestion").Should().Be("read_file");
    }

    [Fact]
    public async Task AddReynOp_CustomOp_IsCallableAndPureOpWritesNoToolCalled()
    {
        await using var h = new RuntimeHarness(services: s => s.AddReynOp<UppercaseOp>());
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("uppercase", new { text = "abc" });
            return null;
        }, p => p.AllowOps("uppercase")));

        result!.GetData<Dictionary<string, string>>()["text"].Should().Be("ABC");
        h.Sink.OfType(EventTypes.ToolCalled).Should().BeEmpty();
        h.Sink.OfType(EventTypes.ToolReturned).Single().Data.GetString("purity").Should().Be("pure");
    }

    [Fact]
    public async Task CallOpAsync_OpThrows_ExceptionResultAndToolFailed()
    {
        await using var h = new RuntimeHarness(services: s => s.AddReynOp<ThrowingOp>());
        OpResult? result = null;

        var run = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("explode");
            return null;
        }, p => p.AllowOps("explode")));

        run.Succeeded.Should().BeTrue("an op failure is a result the phase handles, not a crash");
        result!.Error.Should().Be(new OpError("exception", "InvalidOperationException: kaboom"));
        h.Sink.Types(run.RunId).Should().ContainInOrder("permission_granted", "tool_called", "tool_failed");
    }

    [Fact]
    public async Task CallOpAsync_OpNotAllowedBySkill_DeniedWithHowToAllow()
    {
        await using var h = new RuntimeHarness();
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("shell", new { command = "echo hi" });
            return null;
        }));

        result!.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("does not allow op 'shell'").And.Contain("AllowOps(\"shell\")");
    }

    [Fact]
    public async Task CallOpAsync_ToolDenyInCapabilityProfile_DeniedEvenIfSkillAllows()
    {
        await using var h = new RuntimeHarness(o => o.Permissions.ToolDeny.Add("shell"));
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("shell", new { command = "touch should-not-exist" });
            return null;
        }, p => p.AllowOps("shell").Write("**")));

        result!.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("tool_deny");
        File.Exists(h.WorkspaceFile("should-not-exist")).Should().BeFalse();
        h.Sink.OfType(EventTypes.PermissionDenied).Single().Data.GetString("reason").Should().Contain("tool_deny");
    }

    [Fact]
    public void Suggest_FarAwayName_NoSuggestion()
    {
        var registry = new OpRegistry([new ReadFileOp(), new GrepOp()]);

        registry.Suggest("completely_different").Should().BeNull();
        registry.Suggest("gerp").Should().Be("grep");
    }
}
