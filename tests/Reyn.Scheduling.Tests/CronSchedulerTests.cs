using System.Text.Json;
using Reyn.Events;
using Reyn.Scheduling.Tests.Support;

namespace Reyn.Scheduling.Tests;

public sealed class CronSchedulerTests
{
    private static CronJob Job(string name, string schedule, string skill = "index_events", CronJobOrigin origin = CronJobOrigin.Startup) =>
        new() { Name = name, Skill = skill, Schedule = schedule, Origin = origin };

    [Fact]
    public async Task StartAsync_JobDue_RunsConfiguredJobUnchangedAndEmitsFiredThenCompleted()
    {
        await using var f = new SchedulerFixture();
        var input = new Dictionary<string, object?> { ["since_days"] = 7L };
        var job = Job("weekly", "*/5 * * * *") with { Input = input };
        f.Scheduler.AddOrReplace(job);
        await f.Scheduler.StartAsync();

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Runner.Calls.Should().ContainSingle().Which.Should().BeSameAs(job, "the scheduler adds no input, credentials or permissions");
        job.Input.Should().BeSameAs(input).And.HaveCount(1);
        f.Sink.Events.Select(e => e.Type).Should().Equal(EventTypes.CronFired, EventTypes.CronJobCompleted);
        var fired = f.Sink.OfType(EventTypes.CronFired).Single();
        fired.Data.GetString("job").Should().Be("weekly");
        fired.Data.GetString("skill").Should().Be("index_events");
        fired.Data.GetString("scheduled_for").Should().Be("2026-01-01T00:05:00.0000000+00:00");
        f.Sink.OfType(EventTypes.CronJobCompleted).Single().Data.ContainsKey("duration_ms").Should().BeTrue();
        var status = f.Scheduler.GetStatus("weekly")!;
        status.LastStatus.Should().Be(CronJobStatus.Ok);
        status.LastRunAt.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero));
        status.LastError.Should().BeNull();
        status.NextRunAt.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Emit_EveryCronEvent_CarriesCatalogRequiredFields()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("a", "* * * * *"));
        await f.Scheduler.StartAsync();
        f.Runner.Block();
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Runner.FirstStarted;
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        f.Runner.Throw = new InvalidOperationException("boom");
        f.Runner.Release();
        await f.Sink.WaitForAsync(EventTypes.CronJobFailed);
        f.Runner.Throw = null;
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        var types = f.Sink.Events.Select(e => e.Type).Distinct().ToList();
        types.Should().BeEquivalentTo([EventTypes.CronFired, EventTypes.CronJobSkipped, EventTypes.CronJobFailed, EventTypes.CronJobCompleted]);
        f.Pipeline.UnknownTypeCount.Should().Be(0);
        foreach (var evt in f.Sink.Events)
        {
            EventCatalog.TryGet(evt.Type, out var kind).Should().BeTrue();
            foreach (var field in kind.RequiredFields)
            {
                evt.Data.ContainsKey(field).Should().BeTrue($"{evt.Type} must carry '{field}'");
            }
        }
    }

    [Fact]
    public async Task Timer_PreviousRunStillInProgress_SkipsTickAndRecordsIt()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("slow", "* * * * *"));
        await f.Scheduler.StartAsync();
        f.Runner.Block();

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Runner.FirstStarted;
        f.Clock.Advance(TimeSpan.FromMinutes(1));

        f.Runner.Calls.Should().HaveCount(1, "a job never overlaps itself");
        f.Scheduler.IsRunning("slow").Should().BeTrue();
        var skipped = f.Sink.OfType(EventTypes.CronJobSkipped).Should().ContainSingle().Subject;
        skipped.Data.GetString("reason").Should().Contain("still in progress");
        skipped.Data.GetString("scheduled_for").Should().Be("2026-01-01T00:02:00.0000000+00:00");
        f.Scheduler.GetStatus("slow")!.SkippedCount.Should().Be(1);

        f.Runner.Release();
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted, 2);
        f.Runner.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task Timer_RunnerThrows_RecordsErrorWithTypeAndMessageAndKeepsScheduling()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("flaky", "*/10 * * * *"));
        f.Scheduler.AddOrReplace(Job("steady", "*/10 * * * *"));
        await f.Scheduler.StartAsync();
        f.Runner.Throw = new InvalidOperationException("index is locked");

        f.Clock.Advance(TimeSpan.FromMinutes(10));
        await f.Sink.WaitForAsync(EventTypes.CronJobFailed, 2);

        var status = f.Scheduler.GetStatus("flaky")!;
        status.LastStatus.Should().Be(CronJobStatus.Error);
        status.LastError.Should().Be("InvalidOperationException: index is locked");
        f.Sink.OfType(EventTypes.CronJobFailed).Select(e => e.Data.GetString("error")).Should().AllBe("InvalidOperationException: index is locked");

        f.Runner.Throw = null;
        f.Clock.Advance(TimeSpan.FromMinutes(10));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted, 2);
        f.Scheduler.GetStatus("flaky")!.LastStatus.Should().Be(CronJobStatus.Ok);
        f.Scheduler.GetStatus("flaky")!.LastError.Should().BeNull();
    }

    [Fact]
    public async Task AddOrReplace_WhileStarted_ReplacesScheduleByName()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("job", "0 * * * *"));
        await f.Scheduler.StartAsync();

        f.Scheduler.AddOrReplace(Job("job", "*/15 * * * *", skill: "ops_report"));
        f.Clock.Advance(TimeSpan.FromMinutes(15));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Scheduler.GetJobs().Should().ContainSingle().Which.Job.Schedule.Should().Be("*/15 * * * *");
        f.Runner.Calls.Should().ContainSingle().Which.Skill.Should().Be("ops_report");
    }

    [Fact]
    public async Task AddOrReplace_NewJobWhileStarted_IsScheduled()
    {
        await using var f = new SchedulerFixture();
        await f.Scheduler.StartAsync();

        f.Scheduler.AddOrReplace(Job("late", "*/5 * * * *", origin: CronJobOrigin.Runtime));
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Runner.Calls.Should().ContainSingle().Which.Name.Should().Be("late");
    }

    [Fact]
    public async Task Remove_RuntimeJobShadowingStartupJob_RestoresStartupJob()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("report", "*/5 * * * *", skill: "startup_skill"));
        await f.Scheduler.StartAsync();
        f.Scheduler.AddOrReplace(Job("report", "*/5 * * * *", skill: "runtime_skill", origin: CronJobOrigin.Runtime));

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);
        f.Scheduler.Remove("report").Should().BeTrue();
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted, 2);

        f.Runner.Calls.Select(c => c.Skill).Should().Equal("runtime_skill", "startup_skill");
        f.Scheduler.GetJobs().Should().ContainSingle().Which.Job.Origin.Should().Be(CronJobOrigin.Startup);
        f.Scheduler.Remove("report").Should().BeFalse("startup jobs are not removed by the runtime (hot-reload) path");
        f.Scheduler.Remove("report", CronJobOrigin.Startup).Should().BeTrue();
        f.Scheduler.GetJobs().Should().BeEmpty();
    }

    [Fact]
    public async Task Remove_JobWhileStarted_StopsFiring()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("gone", "* * * * *", origin: CronJobOrigin.Runtime));
        f.Scheduler.AddOrReplace(Job("kept", "*/2 * * * *"));
        await f.Scheduler.StartAsync();

        f.Scheduler.Remove("gone").Should().BeTrue();
        f.Clock.Advance(TimeSpan.FromMinutes(2));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Runner.Calls.Select(c => c.Name).Should().Equal("kept");
    }

    [Fact]
    public async Task StartAsync_BadExpression_ListsJobDisabledWithReasonAndRunsTheOthers()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("broken", "61 * * * *"));
        f.Scheduler.AddOrReplace(Job("off", "* * * * *") with { Enabled = false });
        f.Scheduler.AddOrReplace(Job("ok", "* * * * *"));
        await f.Scheduler.StartAsync();

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        var jobs = f.Scheduler.GetJobs().ToDictionary(j => j.Job.Name);
        jobs["broken"].IsActive.Should().BeFalse();
        jobs["broken"].DisabledReason.Should().StartWith("invalid schedule: '61 * * * *' is not a valid cron expression").And.Contain("Minute");
        jobs["broken"].NextRunAt.Should().BeNull();
        jobs["off"].DisabledReason.Should().Be("disabled (enabled: false)");
        jobs["ok"].IsActive.Should().BeTrue();
        jobs["ok"].NextRunAt.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 2, 0, TimeSpan.Zero));
        f.Runner.Calls.Select(c => c.Name).Should().Equal("ok");
    }

    [Fact]
    public async Task StartAsync_StatusFromPreviousProcess_SurvivesRestart()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("nightly", "0 3 * * *"));
        await f.Scheduler.StartAsync();
        f.Runner.Throw = new TimeoutException("backend did not answer");
        f.Clock.Advance(TimeSpan.FromHours(3));
        await f.Sink.WaitForAsync(EventTypes.CronJobFailed);
        await f.Scheduler.StopAsync();

        var restarted = f.NewScheduler();
        f.Restart(restarted);
        restarted.AddOrReplace(Job("nightly", "0 3 * * *"));
        await restarted.StartAsync();

        var status = restarted.GetStatus("nightly")!;
        status.LastRunAt.Should().Be(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero));
        status.LastStatus.Should().Be(CronJobStatus.Error);
        status.LastError.Should().Be("TimeoutException: backend did not answer");
        status.LastDuration.Should().NotBeNull();
        status.NextRunAt.Should().Be(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero));

        using var file = JsonDocument.Parse(File.ReadAllText(f.Store.Path));
        file.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        var job = file.RootElement.GetProperty("jobs").GetProperty("nightly");
        job.GetProperty("last_status").GetString().Should().Be("error");
        job.GetProperty("last_error").GetString().Should().Be("TimeoutException: backend did not answer");
        job.GetProperty("last_run_at").GetString().Should().Be("2026-01-01T03:00:00.0000000+00:00");
        Directory.GetFiles(Path.GetDirectoryName(f.Store.Path)!).Should().ContainSingle("the atomic write leaves no temporary files");
    }

    [Fact]
    public async Task StartAsync_MissedRunsWithSkipPolicy_RecordsMisfireAndWaitsForNextOccurrence()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("hourly", "0 * * * *"));
        await f.Scheduler.StartAsync();
        await f.Scheduler.StopAsync();

        f.Clock.Advance(TimeSpan.FromMinutes(150)); // down over 01:00 and 02:00
        var restarted = f.NewScheduler();
        f.Restart(restarted);
        restarted.AddOrReplace(Job("hourly", "0 * * * *"));
        await restarted.StartAsync();

        f.Runner.Calls.Should().BeEmpty();
        var skipped = f.Sink.OfType(EventTypes.CronJobSkipped).Should().ContainSingle().Subject;
        skipped.Data.GetString("missed").Should().Be("2");
        skipped.Data.GetString("reason").Should().Contain("misfire").And.Contain("2 run(s) missed").And.Contain("2026-01-01T01:00:00");
        restarted.GetStatus("hourly")!.SkippedCount.Should().Be(1);

        f.Clock.Advance(TimeSpan.FromMinutes(30));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);
        f.Runner.Calls.Should().HaveCount(1);
        f.Sink.OfType(EventTypes.CronFired).Single().Data.GetString("scheduled_for").Should().Be("2026-01-01T03:00:00.0000000+00:00");
    }

    [Fact]
    public async Task StartAsync_MissedRunsWithRunOncePolicy_CatchesUpExactlyOnce()
    {
        await using var f = new SchedulerFixture();
        var job = Job("hourly", "0 * * * *") with { Misfire = MisfirePolicy.RunOnce };
        f.Scheduler.AddOrReplace(job);
        await f.Scheduler.StartAsync();
        await f.Scheduler.StopAsync();

        f.Clock.Advance(TimeSpan.FromHours(5.5));
        var restarted = f.NewScheduler();
        f.Restart(restarted);
        restarted.AddOrReplace(job);
        await restarted.StartAsync();
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Runner.Calls.Should().HaveCount(1);
        var fired = f.Sink.OfType(EventTypes.CronFired).Single();
        fired.Data.TryGetValue("catch_up", out var catchUp).Should().BeTrue();
        catchUp.Should().Be(true);
        fired.Data.GetString("missed").Should().Be("5");
        f.Sink.OfType(EventTypes.CronJobSkipped).Should().BeEmpty();
        restarted.GetStatus("hourly")!.LastRunAt.Should().Be(f.Clock.GetUtcNow());
    }

    [Fact]
    public async Task StartAsync_FirstStartWithoutHistory_IsNotAMisfire()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("hourly", "0 * * * *") with { Misfire = MisfirePolicy.RunOnce });

        await f.Scheduler.StartAsync();

        f.Sink.Events.Should().BeEmpty();
        f.Runner.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task StopAsync_RunInProgress_CancelsItAndRecordsCancelled()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("long", "* * * * *"));
        await f.Scheduler.StartAsync();
        f.Runner.Block();
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Runner.FirstStarted;

        await f.Scheduler.StopAsync();

        var status = f.Scheduler.GetStatus("long")!;
        status.LastStatus.Should().Be(CronJobStatus.Cancelled);
        status.LastError.Should().StartWith("TaskCanceledException:");
        f.Scheduler.IsStarted.Should().BeFalse();
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        f.Runner.Calls.Should().HaveCount(1, "no timer fires after stop");
    }

    [Fact]
    public async Task StartAsync_CorruptStatusFile_SetsItAsideAndStartsEmpty()
    {
        await using var f = new SchedulerFixture();
        Directory.CreateDirectory(Path.GetDirectoryName(f.Store.Path)!);
        await File.WriteAllTextAsync(f.Store.Path, "{ not json");
        f.Scheduler.AddOrReplace(Job("a", "* * * * *"));

        await f.Scheduler.StartAsync();
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        var aside = Directory.GetFiles(Path.GetDirectoryName(f.Store.Path)!, "cron_status.json.corrupt-*");
        aside.Should().ContainSingle();
        File.ReadAllText(aside[0]).Should().Be("{ not json", "the unreadable bytes are kept");
        f.Store.TryLoad(out var statuses, out _).Should().BeTrue();
        statuses!["a"].LastStatus.Should().Be(CronJobStatus.Ok);
    }

    [Fact]
    public async Task Timer_WeeklyJobBeyondOneTimerWait_FiresAtItsOccurrenceOnly()
    {
        await using var f = new SchedulerFixture();
        f.Scheduler.AddOrReplace(Job("weekly_ops_report", "0 9 * * MON", skill: "ops_report"));
        await f.Scheduler.StartAsync();

        f.Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(8)); // Monday 08:00
        f.Runner.Calls.Should().BeEmpty();
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Sink.OfType(EventTypes.CronFired).Single().Data.GetString("scheduled_for").Should().Be("2026-01-05T09:00:00.0000000+00:00");
    }

    [Fact]
    public async Task Timer_JobInNewYorkOnSpringForwardDay_FiresAtTransitionInstant()
    {
        await using var f = new SchedulerFixture(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero));
        f.Scheduler.AddOrReplace(Job("ny", "30 2 * * *") with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York") });
        await f.Scheduler.StartAsync();

        f.Clock.Advance(TimeSpan.FromHours(3));
        await f.Sink.WaitForAsync(EventTypes.CronJobCompleted);

        f.Runner.Calls.Should().HaveCount(1);
        f.Sink.OfType(EventTypes.CronFired).Single().Data.GetString("scheduled_for").Should().Be("2026-03-08T07:00:00.0000000+00:00");
    }
}
