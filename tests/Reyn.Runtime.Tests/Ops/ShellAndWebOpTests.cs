using System.Net;
using Reyn.Runtime.Tests.Support;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Ops;

public sealed class ShellAndWebOpTests
{
    private static OpInvocation Invocation(TempDirectory dir, object args) =>
        new(OpArguments.From(args), new Workspace(dir.Path));

    [Fact]
    public async Task Shell_Command_CapturesExitCodeStdoutStderrInWorkspace()
    {
        using var dir = new TempDirectory();
        var op = new ShellOp();

        var result = await op.ExecuteAsync(Invocation(dir, new { command = "pwd; echo oops >&2; exit 3" }), CancellationToken.None);

        var data = result.Data!.Value;
        data.GetProperty("exit_code").GetInt32().Should().Be(3);
        Path.GetFullPath(data.GetProperty("stdout").GetString()!.Trim()).Should().Be(Path.GetFullPath(dir.Path));
        data.GetProperty("stderr").GetString()!.Trim().Should().Be("oops");
        data.GetProperty("timed_out").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Shell_LargeOutput_IsBounded()
    {
        using var dir = new TempDirectory();
        var op = new ShellOp(new ShellOptions { MaxOutputChars = 1000 });

        var result = await op.ExecuteAsync(Invocation(dir, new { command = "head -c 200000 /dev/zero | tr '\\0' 'a'" }), CancellationToken.None);

        result.Data!.Value.GetProperty("stdout").GetString()!.Length.Should().Be(1000);
        result.Data!.Value.GetProperty("truncated").GetBoolean().Should().BeTrue();
        result.Data!.Value.GetProperty("exit_code").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Shell_CommandOverTimeout_IsKilledAndReported()
    {
        using var dir = new TempDirectory();
        var op = new ShellOp();

        var result = await op.ExecuteAsync(Invocation(dir, new { command = "echo started; sleep 30", timeout_seconds = 1 }), CancellationToken.None);

        var data = result.Data!.Value;
        data.GetProperty("timed_out").GetBoolean().Should().BeTrue();
        data.GetProperty("exit_code").GetInt32().Should().Be(-1);
        data.GetProperty("stdout").GetString().Should().Contain("started");
    }

    [Fact]
    public async Task Shell_CwdOutsideWorkspace_Refused()
    {
        using var dir = new TempDirectory();
        var op = new ShellOp();

        var act = async () => await op.ExecuteAsync(Invocation(dir, new { command = "pwd", cwd = "../" }), CancellationToken.None);

        await act.Should().ThrowAsync<WorkspaceEscapeException>();
    }

    [Fact]
    public async Task WebFetch_Url_ReturnsStatusTypeAndBoundedBody()
    {
        using var dir = new TempDirectory();
        var handler = new StubHttpHandler(HttpStatusCode.OK, "hello world", "text/plain");
        var op = new WebFetchOp(new HttpClient(handler));

        var result = await op.ExecuteAsync(Invocation(dir, new { url = "https://example.test/page", max_bytes = 5 }), CancellationToken.None);

        var data = result.Data!.Value;
        data.GetProperty("status_code").GetInt32().Should().Be(200);
        data.GetProperty("content").GetString().Should().Be("hello");
        data.GetProperty("truncated").GetBoolean().Should().BeTrue();
        data.GetProperty("content_type").GetString().Should().StartWith("text/plain");
        handler.Requests.Should().Equal(new Uri("https://example.test/page"));
    }

    [Fact]
    public async Task WebFetch_NotHttpUrl_InvalidArgs()
    {
        using var dir = new TempDirectory();
        var op = new WebFetchOp(new HttpClient(new StubHttpHandler(HttpStatusCode.OK, "")));

        var act = async () => await op.ExecuteAsync(Invocation(dir, new { url = "file:///etc/passwd" }), CancellationToken.None);

        await act.Should().ThrowAsync<OpArgumentException>().WithMessage("*http or https*");
    }

    [Fact]
    public async Task WebFetch_ThroughRuntime_UsesHttpClientFromDi()
    {
        var handler = new StubHttpHandler(HttpStatusCode.NotFound, "missing");
        await using var h = new RuntimeHarness(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, new HttpClient(handler)));
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("web_fetch", new { url = "http://example.test/x" });
            return null;
        }, p => p.AllowOps("web_fetch")));

        result!.Data!.Value.GetProperty("status_code").GetInt32().Should().Be(404);
        handler.Requests.Should().ContainSingle();
    }
}
