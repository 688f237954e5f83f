using Reyn.Events;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class CronReloadSeamTests
{
    private static readonly CronJobDefinition StartupReport = new("report", "0 8 * * *", To: "ops", Message: "startup report");
    private static readonly CronJobDefinition StartupBackup = new("backup", "0 2 * * *", Skill: "backup");

    private static string Jobs(params string[] jobs) => "cron:\n  jobs:\n" + string.Concat(jobs);

    private static string Job(string name, string schedule = "0 9 * * *", string message = "hi") =>
        $"    - name: {name}\n      schedule: \"{schedule}\"\n      to: ops\n      message: {message}\n";

    private static (SessionHotReload Session, RecordingCronJobTable Table, RecordingEventSink Sink) Boot(InSetWorkspace workspace)
    {
        var (log, sink) = RecordingEventSink.CreateLog();
        var table = new RecordingCronJobTable();
        var session = SessionHotReload.Create(new SessionHotReloadOptions
        {
            RootDirectory = workspace.Root,
            StartupCronJobs = [StartupReport, StartupBackup],
            CronJobs = table,
        }, log);
        foreach (var job in CronReloadSeam.BootJobs([StartupReport, StartupBackup], session.Boot))
        {
            table.Jobs[job.Name] = job;
        }

        return (session, table, sink);
    }

    private static async Task<ReloadOutcome> ReloadAsync(SessionHotReload session)
    {
        session.Reloader.RequestReload(ReloadSources.Operator);
        return (await session.Reloader.ApplyPendingAsync())!;
    }

    [Fact]
    public void BootJobs_RuntimeJobShadowsStartupJobByName()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("report", message: "runtime report"), Job("extra")));

        var (_, table, _) = Boot(workspace);

        table.Jobs.Keys.Should().BeEquivalentTo("report", "backup", "extra");
        table.Jobs["report"].Message.Should().Be("runtime report");
    }

    [Fact]
    public async Task Apply_NewAndChangedJobs_UpsertedByName_UnchangedLeftAlone()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b")));
        var (session, table, sink) = Boot(workspace);
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b", schedule: "30 9 * * *"), Job("c")));

        var outcome = await ReloadAsync(session);

        table.Calls.Should().Equal("upsert:b", "upsert:c");
        table.Jobs["b"].Schedule.Should().Be("30 9 * * *");
        table.Jobs.Keys.Should().BeEquivalentTo("report", "backup", "a", "b", "c");
        outcome.Components.Should().Contain("cron");
        sink.OfType(EventTypes.ConfigReloaded).Single().Data["components"].Should().BeEquivalentTo(new[] { "cron" });
    }

    [Fact]
    public async Task Apply_RuntimeJobRemovedFromFile_IsUnscheduled()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b")));
        var (session, table, _) = Boot(workspace);
        workspace.Write("cron.yaml", Jobs(Job("a")));

        await ReloadAsync(session);

        table.Calls.Should().Equal("remove:b");
        table.Jobs.Keys.Should().BeEquivalentTo("report", "backup", "a");
    }

    [Fact]
    public async Task Apply_CronFileDeleted_RemovesOnlyRuntimeJobs_StartupJobsNeverRemoved()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a")));
        var (session, table, _) = Boot(workspace);
        workspace.Delete("cron.yaml");

        var outcome = await ReloadAsync(session);
        var again = await ReloadAsync(session);

        table.Calls.Should().Equal("remove:a");
        table.Jobs.Keys.Should().BeEquivalentTo("report", "backup");
        outcome.Components.Should().Contain("cron");
        again.Components.Should().NotContain("cron", "nothing changed the second time");
    }

    [Fact]
    public async Task Apply_RuntimeJobShadowingStartupJobRemoved_RestoresStartupJob()
    {
        using var workspace = new InSetWorkspace();
        var (session, table, _) = Boot(workspace);
        workspace.Write("cron.yaml", Jobs(Job("report", message: "runtime report")));
        await ReloadAsync(session);
        table.Jobs["report"].Message.Should().Be("runtime report");

        workspace.Write("cron.yaml", "cron:\n  jobs: []\n");
        await ReloadAsync(session);

        table.Calls.Should().Equal("upsert:report", "upsert:report");
        table.Jobs["report"].Should().Be(StartupReport);
        table.Jobs.Keys.Should().BeEquivalentTo("report", "backup");
    }

    [Fact]
    public async Task Apply_NoCronTable_SeamRunsAndChangesNothing()
    {
        using var workspace = new InSetWorkspace();
        var (log, _) = RecordingEventSink.CreateLog();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);
        workspace.Write("cron.yaml", Jobs(Job("a")));

        var outcome = await ReloadAsync(session);

        session.Reloader.SeamNames.Should().Equal("cron", "mcp", "per_agent_capability", "new_agent", "hooks");
        outcome.Components.Should().BeEmpty();
        outcome.Failed.Should().BeEmpty();
    }
}
