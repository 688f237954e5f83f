using Reyn.Events;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;
using Reyn.Runtime.Tests.Support;
using Reyn.Scheduling;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class CronReloadSeamTests
{
    private static readonly CronJob StartupReport = new() { Name = "report", Skill = "ops_report", Schedule = "0 8 * * *" };
    private static readonly CronJob StartupBackup = new() { Name = "backup", Skill = "backup", Schedule = "0 2 * * *" };

    private static string Jobs(params string[] jobs) => "cron:\n  jobs:\n" + string.Concat(jobs);

    private static string Job(string name, string schedule = "0 9 * * *", string skill = "index_events") =>
        $"    - name: {name}\n      skill: {skill}\n      schedule: \"{schedule}\"\n";

    /// <summary>Boots like a host: startup jobs plus the boot IN-set's runtime jobs on a real scheduler.</summary>
    private static async Task<(SessionHotReload Session, CronScheduler Scheduler, RecordingEventSink Sink)> BootAsync(InSetWorkspace workspace)
    {
        var (log, sink) = RecordingEventSink.CreateLog();
        var scheduler = new CronScheduler(new NoOpJobRunner(), log, new ManualTimeProvider());
        scheduler.AddOrReplace(StartupReport);
        scheduler.AddOrReplace(StartupBackup);
        var session = SessionHotReload.Create(new SessionHotReloadOptions
        {
            RootDirectory = workspace.Root,
            CronJobs = new CronSchedulerJobTable(scheduler),
        }, log);
        foreach (var job in session.Boot.Cron.Jobs)
        {
            scheduler.AddOrReplace(job);
        }

        await scheduler.StartAsync();
        return (session, scheduler, sink);
    }

    private static Dictionary<string, CronJob> Effective(CronScheduler scheduler) =>
        scheduler.GetJobs().ToDictionary(s => s.Job.Name, s => s.Job);

    private static async Task<ReloadOutcome> ReloadAsync(SessionHotReload session)
    {
        session.Reloader.RequestReload(ReloadSources.Operator);
        return (await session.Reloader.ApplyPendingAsync())!;
    }

    [Fact]
    public async Task Apply_NewAndChangedJobs_AddedOrReplacedByName()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b")));
        var (session, scheduler, sink) = await BootAsync(workspace);
        await using var _ = scheduler;
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b", schedule: "30 9 * * *"), Job("c")));

        var outcome = await ReloadAsync(session);

        var jobs = Effective(scheduler);
        jobs.Keys.Should().BeEquivalentTo("report", "backup", "a", "b", "c");
        jobs["b"].Schedule.Should().Be("30 9 * * *");
        jobs["c"].Origin.Should().Be(CronJobOrigin.Runtime);
        outcome.Components.Should().Equal("cron");
        sink.OfType(EventTypes.ConfigReloaded).Single().Data["components"].Should().BeEquivalentTo(new[] { "cron" });
    }

    [Fact]
    public async Task Apply_UnchangedJobs_LeftAlone()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b")));
        var (log, _) = RecordingEventSink.CreateLog();
        var table = new RecordingCronJobTable();
        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root, CronJobs = table }, log);
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b", skill: "other")));

        var outcome = await ReloadAsync(session);
        var again = await ReloadAsync(session);

        table.Calls.Should().Equal("upsert:b");
        outcome.Components.Should().Equal("cron");
        again.Components.Should().BeEmpty("nothing changed the second time");
    }

    [Fact]
    public async Task Apply_RuntimeJobRemovedFromFile_IsUnscheduled()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b")));
        var (session, scheduler, _) = await BootAsync(workspace);
        await using var _ = scheduler;
        workspace.Write("cron.yaml", Jobs(Job("a")));

        await ReloadAsync(session);

        Effective(scheduler).Keys.Should().BeEquivalentTo("report", "backup", "a");
    }

    [Fact]
    public async Task Apply_CronFileDeleted_RemovesOnlyRuntimeJobs_StartupJobsNeverRemoved()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a")));
        var (session, scheduler, _) = await BootAsync(workspace);
        await using var _ = scheduler;
        workspace.Delete("cron.yaml");

        var outcome = await ReloadAsync(session);

        Effective(scheduler).Keys.Should().BeEquivalentTo("report", "backup");
        outcome.Components.Should().Contain("cron");
    }

    [Fact]
    public async Task Apply_RuntimeJobShadowingStartupJobRemoved_RestoresStartupJob()
    {
        using var workspace = new InSetWorkspace();
        var (session, scheduler, _) = await BootAsync(workspace);
        await using var _ = scheduler;
        workspace.Write("cron.yaml", Jobs(Job("report", skill: "runtime_report")));
        await ReloadAsync(session);
        Effective(scheduler)["report"].Skill.Should().Be("runtime_report");

        workspace.Write("cron.yaml", "cron:\n  jobs: []\n");
        await ReloadAsync(session);

        var report = Effective(scheduler)["report"];
        report.Should().BeSameAs(StartupReport);
        report.Origin.Should().Be(CronJobOrigin.Startup);
        Effective(scheduler).Keys.Should().BeEquivalentTo("report", "backup");
    }

    [Fact]
    public async Task Apply_BadScheduleInCronFile_RejectsReloadWithFileAndLine()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", Jobs(Job("a")));
        var (session, scheduler, sink) = await BootAsync(workspace);
        await using var _ = scheduler;
        workspace.Write("cron.yaml", Jobs(Job("a"), Job("b", schedule: "61 * * * *")));

        var outcome = await ReloadAsync(session);

        outcome.Rejected.Should().BeTrue();
        outcome.Errors.Single().Should().Match<ConfigError>(e => e.File == ".reyn/cron.yaml" && e.Line == 8 && e.Message.Contains("invalid schedule"));
        Effective(scheduler).Keys.Should().BeEquivalentTo("report", "backup", "a");
        sink.OfType(EventTypes.ConfigReloadRejected).Single().Data["line"].Should().Be(8);
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
