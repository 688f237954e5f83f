using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;
using Reyn.Scheduling;

namespace Reyn.Runtime.Tests.Composition;

public sealed class BuiltInSkillTests
{
    private static async Task<SkillRunResult> RunProbeAsync(RuntimeHarness h, bool fail = false)
    {
        var skill = Skill.Create("triage")
            .Phase("verify", ctx => Task.FromResult(fail ? PhaseResult.Abort("checksum mismatch in report.md") : PhaseResult.Finish("ok")))
            .Build();
        var run = await h.Runtime.RunSkillAsync(skill);
        await h.Runtime.Events.Pipeline.FlushAsync();
        return run;
    }

    [Fact]
    public async Task IndexEvents_RunThroughRuntime_IndexesFinishedRunsOnceThenNothingNew()
    {
        await using var h = new RuntimeHarness();
        await RunProbeAsync(h);
        await RunProbeAsync(h, fail: true);

        var first = await h.Runtime.RunSkillAsync(BuiltInSkills.IndexEvents);
        await h.Runtime.Events.Pipeline.FlushAsync();
        var second = await h.Runtime.RunSkillAsync(BuiltInSkills.IndexEvents);

        first.Succeeded.Should().BeTrue(first.Error);
        first.Output.Json!.Value.GetProperty("indexedRuns").GetInt32().Should().Be(2);
        first.Output.Json!.Value.GetProperty("cursor").GetString().Should().NotBeNullOrEmpty();
        second.Succeeded.Should().BeTrue(second.Error);
        second.Output.Json!.Value.GetProperty("indexedRuns").GetInt32().Should().Be(1, "only the first index_events run itself is new");
        File.Exists(h.Directory.Combine(".reyn", "index", "events_cursor")).Should().BeTrue();
    }

    [Fact]
    public async Task IndexEvents_InvalidMode_FailsWithClearError()
    {
        await using var h = new RuntimeHarness();

        var run = await h.Runtime.RunSkillAsync(BuiltInSkills.IndexEvents, new { mode = "rebuild-everything" });

        run.Succeeded.Should().BeFalse();
        run.Error.Should().Contain("mode");
    }

    [Fact]
    public async Task OpsReport_RunThroughRuntime_CountsRunsAndFailures()
    {
        await using var h = new RuntimeHarness();
        await RunProbeAsync(h);
        await RunProbeAsync(h, fail: true);
        await RunProbeAsync(h, fail: true);

        var run = await h.Runtime.RunSkillAsync(BuiltInSkills.OpsReport, new { since_days = 7 });

        run.Succeeded.Should().BeTrue(run.Error);
        var output = run.Output.Json!.Value;
        output.GetProperty("totalRuns").GetInt32().Should().Be(3);
        output.GetProperty("successfulRuns").GetInt32().Should().Be(1);
        output.GetProperty("highestFailureSkill").GetString().Should().Be("triage");
        output.GetProperty("text").GetString().Should().Contain("triage");
    }

    [Fact]
    public async Task OpsReport_SinceDaysOutOfRange_FailsWithClearError()
    {
        await using var h = new RuntimeHarness();

        var run = await h.Runtime.RunSkillAsync(BuiltInSkills.OpsReport, new { since_days = 0 });

        run.Succeeded.Should().BeFalse();
        run.Error.Should().Contain("since_days").And.Contain("between 1 and 3650");
    }

    [Fact]
    public async Task Recall_OpFromSkill_FindsIndexedFailingRun()
    {
        await using var h = new RuntimeHarness();
        await RunProbeAsync(h);
        await RunProbeAsync(h, fail: true);
        (await h.Runtime.RunSkillAsync(BuiltInSkills.IndexEvents)).Succeeded.Should().BeTrue();
        OpResult? result = null;

        var run = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("recall", new { query = "checksum mismatch", sources = new[] { "events" }, top_k = 3 });
            return null;
        }, p => p.AllowOps("recall")));

        run.Succeeded.Should().BeTrue(run.Error);
        result!.IsOk.Should().BeTrue(result.ToString());
        var hits = result.Data!.Value.GetProperty("hits");
        hits.GetArrayLength().Should().BeGreaterThan(0);
        hits[0].GetProperty("skill").GetString().Should().Be("triage");
        hits[0].GetProperty("status").GetString().Should().NotBe("success");
        h.Runtime.Ops.PurityOf("recall").Should().Be(OpPurity.World);
    }

    [Fact]
    public async Task Recall_MissingQuery_StructuredError()
    {
        await using var h = new RuntimeHarness();
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("recall", new { sources = new[] { "events" } });
            return null;
        }, p => p.AllowOps("recall")));

        result!.IsOk.Should().BeFalse();
        result.Error!.Kind.Should().Be("missing_query");
        result.Error.Message.Should().Contain("query");
    }

    [Fact]
    public async Task Recall_NotInSkillPermissions_Denied()
    {
        await using var h = new RuntimeHarness();
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("recall", new { query = "x", sources = new[] { "events" } });
            return null;
        }));

        result!.Error!.Kind.Should().Be("permission_denied");
    }

    [Fact]
    public async Task RuntimeJobRunner_SkillLacksPermission_DeniedExactlyLikeDirectRun()
    {
        var writer = Skill.Create("writer")
            .Phase("write", async ctx =>
            {
                var r = await ctx.CallOpAsync("write_file", new { path = "out.txt", content = "x" });
                return r.IsOk ? PhaseResult.Finish("written") : PhaseResult.Abort($"{r.Error!.Kind}: {r.Error.Message}");
            })
            .Build();
        await using var h = new RuntimeHarness(services: s => s.AddReynSkill(writer));
        var runner = h.Services.GetRequiredService<IJobRunner>();

        var direct = await h.Runtime.RunSkillAsync("writer");
        var act = async () => await runner.RunAsync(new CronJob { Name = "nightly", Skill = "writer", Schedule = "0 0 * * *" }, CancellationToken.None);

        direct.Succeeded.Should().BeFalse();
        direct.Error.Should().Contain("permission_denied");
        (await act.Should().ThrowAsync<ScheduledSkillFailedException>()).Which.Message.Should().Contain("permission_denied");
        var denials = h.Sink.OfType(EventTypes.PermissionDenied).Where(e => e.Data.GetString("op") == "write_file").ToList();
        denials.Should().HaveCount(2, "the scheduled run is checked exactly like the direct run");
        denials.Select(e => e.Data.GetString("reason")).Distinct().Should().HaveCount(1);
        File.Exists(h.WorkspaceFile("out.txt")).Should().BeFalse();
        h.Sink.OfType(EventTypes.PermissionGranted).Where(e => e.Data.GetString("op") == "write_file").Should().BeEmpty();
    }

    [Fact]
    public async Task RuntimeJobRunner_ThroughScheduler_RunsBuiltInSkillAndRecordsOk()
    {
        var time = new Reyn.Testing.ManualTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 59, 0, TimeSpan.Zero));
        await using var h = new RuntimeHarness(time: time);
        var scheduler = h.Services.GetRequiredService<CronScheduler>();
        scheduler.AddOrReplace(new CronJob { Name = "index", Skill = BuiltInSkills.IndexEvents, Schedule = "0 9 * * *" });
        var completed = new TaskCompletionSource<ReynEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Sink.Written += e =>
        {
            if (e.Type is EventTypes.CronJobCompleted or EventTypes.CronJobFailed)
            {
                completed.TrySetResult(e);
            }
        };

        await scheduler.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var evt = await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await scheduler.StopAsync(CancellationToken.None);

        evt.Type.Should().Be(EventTypes.CronJobCompleted, evt.Data.GetString("error"));
        h.Sink.OfType(EventTypes.RunSkillStarted).Should().Contain(e => e.Data.GetString("skill") == BuiltInSkills.IndexEvents);
    }
}
