using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class SeamTests
{
    private static async Task<ReloadOutcome> ReloadAsync(SessionHotReload session)
    {
        session.Reloader.RequestReload(ReloadSources.Operator);
        return (await session.Reloader.ApplyPendingAsync())!;
    }

    [Fact]
    public async Task Mcp_ServersChanged_ReprobedAndReportedChanged_UnchangedReportedUnchanged()
    {
        using var workspace = new InSetWorkspace();
        var (log, _) = RecordingEventSink.CreateLog();
        var catalog = new FakeToolServerCatalog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root, ToolServers = catalog }, log);
        workspace.Write("mcp.yaml", "mcp:\n  servers:\n    files:\n      command: mcp-files\n");

        var first = await ReloadAsync(session);
        var second = await ReloadAsync(session);

        catalog.Probes.Should().Be(2, "every reload re-probes");
        catalog.Servers.Should().Equal("files");
        first.Components.Should().Contain("mcp");
        second.Components.Should().NotContain("mcp");
    }

    [Fact]
    public async Task PerAgentCapability_ProfileChanged_UpdatesEveryHolderOfThatAgent()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("agents/writer/profile.yaml", "allowed_tools: [read_file, hooks_add]\n");
        var (log, _) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);
        FakeCapabilityHolder[] holders = [new("writer"), new("writer"), new("writer"), new("other")];
        foreach (var holder in holders)
        {
            session.CapabilityHolders.Register(holder);
        }

        workspace.Write("agents/writer/profile.yaml", "allowed_tools: [read_file, hooks_add]\ntool_deny: [hooks_add]\n");
        var outcome = await ReloadAsync(session);

        outcome.Components.Should().Contain("per_agent_capability");
        holders[..3].Should().OnlyContain(h => h.Profile != null && !h.Profile.AllowsTool("hooks_add") && h.Profile.AllowsTool("read_file"));
        holders[3].Profile.Should().BeNull("an agent without a profile file keeps what it has");

        var again = await ReloadAsync(session);
        again.Components.Should().NotContain("per_agent_capability");
        holders[0].Applied.Should().Be(1, "an unchanged profile is not re-applied");
    }

    [Fact]
    public async Task PerAgentCapability_OneHolderThrows_OthersUpdated_SeamListedAsFailed()
    {
        using var workspace = new InSetWorkspace();
        var (log, _) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);
        var broken = new FakeCapabilityHolder("writer", @throw: true);
        var good = new FakeCapabilityHolder("writer");
        session.CapabilityHolders.Register(broken);
        session.CapabilityHolders.Register(good);
        workspace.Write("agents/writer/profile.yaml", "tool_deny: [shell]\n");
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push: {message: hi}\n");

        var outcome = await ReloadAsync(session);

        outcome.Failed.Should().Equal("per_agent_capability");
        outcome.Components.Should().Contain("hooks", "the seams after a failing one still run");
        good.Profile!.ToolDeny.Should().Equal("shell");
    }

    [Fact]
    public async Task PerAgentCapability_UnregisteredHolder_IsNotUpdated()
    {
        using var workspace = new InSetWorkspace();
        var (log, _) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);
        var holder = new FakeCapabilityHolder("writer");
        session.CapabilityHolders.Register(holder).Dispose();
        workspace.Write("agents/writer/profile.yaml", "tool_deny: [shell]\n");

        await ReloadAsync(session);

        holder.Profile.Should().BeNull();
    }

    [Fact]
    public async Task NewAgent_AlwaysRunsAndNeverReportsChange()
    {
        using var workspace = new InSetWorkspace();
        var seam = new NewAgentSeam();
        workspace.Write("agents/fresh/profile.yaml", "allowed_tools: [grep]\n");

        var changed = await seam.ApplyAsync(new InSetLoader(workspace.Root).Load(), CancellationToken.None);

        seam.Name.Should().Be("new_agent");
        changed.Should().BeFalse();
    }
}
