using System.Text.Json;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Ops;

public sealed class FileOpTests
{
    private static readonly Action<SkillPermissionsBuilder> FileOps = p => p
        .AllowOps("read_file", "write_file", "edit_file", "grep")
        .Read("logs/**")
        .Write("report/**");

    private static async Task<T> RunAsync<T>(RuntimeHarness h, Func<PhaseContext, Task<T>> body, Action<SkillPermissionsBuilder>? permissions = null)
    {
        T value = default!;
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            value = await body(ctx);
            return null;
        }, permissions ?? FileOps));
        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        return value;
    }

    [Fact]
    public async Task CallOpAsync_WriteEditReadGrep_WorkInsideTheWorkspace()
    {
        await using var h = new RuntimeHarness();
        Directory.CreateDirectory(h.WorkspaceFile("logs"));
        File.WriteAllText(h.WorkspaceFile("logs/app.log"), "ok\nERROR disk full\nok\nERROR timeout\n");

        var (write, edit, read, grep) = await RunAsync(h, async ctx =>
        {
            var w = await ctx.CallOpAsync("write_file", new { path = "report/summary.md", content = "Errors: TBD\n" });
            var e = await ctx.CallOpAsync("edit_file", new { path = "report/summary.md", old_text = "TBD", new_text = "2" });
            var r = await ctx.CallOpAsync("read_file", new { path = "report/summary.md" });
            var g = await ctx.CallOpAsync("grep", new { pattern = "ERROR", path = "logs", glob = "*.log" });
            return (w, e, r, g);
        });

        write.IsOk.Should().BeTrue();
        edit.Data!.Value.GetProperty("replacements").GetInt32().Should().Be(1);
        read.Data!.Value.GetProperty("content").GetString().Should().Be("Errors: 2\n");
        File.ReadAllText(h.WorkspaceFile("report/summary.md")).Should().Be("Errors: 2\n");
        var matches = grep.Data!.Value.GetProperty("matches").EnumerateArray().ToList();
        matches.Select(m => (m.GetProperty("path").GetString(), m.GetProperty("line").GetInt32())).Should().Equal(("logs/app.log", 2), ("logs/app.log", 4));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("report/../../escape.txt")]
    [InlineData("/tmp/escape.txt")]
    public async Task CallOpAsync_PathEscapingWorkspace_PermissionDeniedResultAndNothingWritten(string path)
    {
        await using var h = new RuntimeHarness();

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("write_file", new { path, content = "x" }).AsTask(), p => p.AllowOps("write_file").Write("**"));

        result.IsOk.Should().BeFalse();
        result.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("escapes the workspace");
        result.ToJson().GetProperty("status").GetString().Should().Be("error");
        File.Exists(h.Directory.Combine("escape.txt")).Should().BeFalse();
        var denied = h.Sink.OfType(EventTypes.PermissionDenied).Single();
        denied.Data.GetString("op").Should().Be("write_file");
        denied.Data.GetString("phase").Should().Be("work");
        h.Sink.OfType(EventTypes.ToolCalled).Should().BeEmpty("a refused op never starts");
    }

    [Fact]
    public async Task CallOpAsync_SymlinkPointingOutOfWorkspace_Denied()
    {
        await using var h = new RuntimeHarness();
        var outside = h.Directory.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateDirectory(h.Workspace);
        Directory.CreateSymbolicLink(h.WorkspaceFile("logs"), outside);

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("read_file", new { path = "logs/secret.txt" }).AsTask());

        result.Error!.Kind.Should().Be("permission_denied");
    }

    [Fact]
    public async Task CallOpAsync_WriteOutsideWriteZone_DeniedWithZonesInMessage()
    {
        await using var h = new RuntimeHarness();

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("write_file", new { path = "logs/tampered.log", content = "x" }).AsTask());

        result.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("may not write 'logs/tampered.log'").And.Contain("report/**");
        File.Exists(h.WorkspaceFile("logs/tampered.log")).Should().BeFalse();
    }

    [Fact]
    public async Task CallOpAsync_ReadOutsideReadZone_Denied()
    {
        await using var h = new RuntimeHarness();
        Directory.CreateDirectory(h.Workspace);
        File.WriteAllText(h.WorkspaceFile("private.txt"), "x");

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("read_file", new { path = "private.txt" }).AsTask());

        result.Error!.Kind.Should().Be("permission_denied");
        result.Error.Message.Should().Contain("may not read 'private.txt'");
    }

    [Fact]
    public async Task CallOpAsync_AllowedCall_EmitsPermissionGrantedWithRunSkillPhase()
    {
        await using var h = new RuntimeHarness();

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("write_file", new { path = "report/a.md", content = "a" }).AsTask());

        result.IsOk.Should().BeTrue();
        var granted = h.Sink.OfType(EventTypes.PermissionGranted).Single();
        granted.Data.GetString("op").Should().Be("write_file");
        granted.Data.GetString("skill").Should().Be("probe");
        granted.Data.GetString("phase").Should().Be("work");
        granted.Data.GetString("run_id").Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task CallOpAsync_EditAmbiguousText_ErrorAsksForContext()
    {
        await using var h = new RuntimeHarness();
        Directory.CreateDirectory(h.WorkspaceFile("report"));
        File.WriteAllText(h.WorkspaceFile("report/a.md"), "x x");

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("edit_file", new { path = "report/a.md", old_text = "x", new_text = "y" }).AsTask());

        result.Error!.Kind.Should().Be("ambiguous");
        File.ReadAllText(h.WorkspaceFile("report/a.md")).Should().Be("x x");
    }

    [Fact]
    public async Task CallOpAsync_MissingArgument_InvalidArgsNamingTheArgument()
    {
        await using var h = new RuntimeHarness();

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("write_file", new { path = "report/a.md" }).AsTask());

        result.Error!.Kind.Should().Be("invalid_args");
        result.Error.Message.Should().Contain("'content'");
        h.Sink.OfType(EventTypes.ToolFailed).Single().Data.GetString("error_kind").Should().Be("invalid_args");
    }

    [Fact]
    public async Task CallOpAsync_ReadMissingFile_NotFoundError()
    {
        await using var h = new RuntimeHarness();

        var result = await RunAsync(h, ctx => ctx.CallOpAsync("read_file", new { path = "logs/none.log" }).AsTask());

        result.Error!.Kind.Should().Be("not_found");
    }

    [Fact]
    public void OpResult_ErrorShape_IsStatusErrorWithKindAndMessage()
    {
        var json = OpResult.Fail("permission_denied", "no").ToJson();

        json.GetRawText().Should().Be("{\"status\":\"error\",\"error\":{\"kind\":\"permission_denied\",\"message\":\"no\"}}");
        OpResult.FromJson(json).Error.Should().Be(new OpError("permission_denied", "no"));
        OpResult.Ok(new { a = 1 }).ToJson().GetRawText().Should().Be("{\"status\":\"ok\",\"data\":{\"a\":1}}");
        JsonSerializer.Serialize(OpResult.FromJson(OpResult.Ok(new { a = 1 }).ToJson()).Data).Should().Be("{\"a\":1}");
    }
}
