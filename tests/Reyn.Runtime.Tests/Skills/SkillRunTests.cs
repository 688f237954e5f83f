using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Skills;

public sealed class SkillRunTests
{
    private sealed record Findings(int Errors);

    [Fact]
    public async Task RunSkillAsync_WorkspaceUnderAFile_IOExceptionNamesTheWorkspaceAndTheFix()
    {
        await using var h = new RuntimeHarness();
        var file = h.Directory.Combine("not-a-directory");
        File.WriteAllText(file, "x");
        var workspace = Path.Combine(file, "workspace");

        var act = () => h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(_ => Task.FromResult<object?>("done")), options: new SkillRunOptions { Workspace = workspace });

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain(workspace).And.Contain("ReynOptions.WorkspaceDirectory");
        h.Sink.Events.Should().BeEmpty("the run did not start");
    }

    [Fact]
    public async Task RunSkillAsync_ThreePhases_RunsInOrderPassesArtifactsAndFinishes()
    {
        await using var h = new RuntimeHarness();
        var skill = Skill.Create("count")
            .Phase("explore", ctx => Task.FromResult(PhaseResult.Next("plan", new Findings(ctx.InputAs<int>() + 1))))
            .Phase("plan", ctx => Task.FromResult(PhaseResult.Next("report", new Findings(ctx.InputAs<Findings>().Errors * 10))))
            .Phase("report", ctx => Task.FromResult(PhaseResult.Finish(new { total = ctx.InputAs<Findings>().Errors })))
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill, 4);

        result.Status.Should().Be(SkillRunStatus.Succeeded);
        result.Phases.Should().Equal("explore", "plan", "report");
        result.Output.Json!.Value.GetProperty("total").GetInt32().Should().Be(50);
        h.Sink.Types(result.RunId).Should().Equal(
            "run_skill_started", "workflow_started",
            "phase_started", "phase_completed",
            "phase_started", "phase_completed",
            "phase_started", "phase_completed",
            "workflow_finished", "run_skill_completed");
        var started = h.Sink.OfType(EventTypes.RunSkillStarted).Single();
        started.Data.GetString("skill_version_hash").Should().Be(skill.VersionHash);
        var completed = h.Sink.OfType(EventTypes.RunSkillCompleted).Single();
        completed.Data.GetString("status").Should().Be("success");
        completed.Data.ContainsKey("duration_ms").Should().BeTrue();
        h.Sink.OfType(EventTypes.PhaseStarted).Select(e => e.Data.GetString("phase")).Should().Equal("explore", "plan", "report");
    }

    [Fact]
    public async Task RunSkillAsync_RunId_HasTimestampSkillAndSuffix()
    {
        await using var h = new RuntimeHarness();

        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(_ => Task.FromResult<object?>(null), name: "my.skill"));

        result.RunId.Should().MatchRegex("^[0-9]{8}T[0-9]{12}Z_my_skill_[0-9a-f]{4}$");
    }

    [Fact]
    public async Task RunSkillAsync_PhaseReenteredBeyondMaxVisits_LoopLimitExceeded()
    {
        await using var h = new RuntimeHarness();
        var skill = Skill.Create("loop")
            .Phase("again", _ => Task.FromResult(PhaseResult.Next("again")), maxVisits: 3)
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.LoopLimitExceeded);
        result.Phases.Should().HaveCount(3);
        var limit = h.Sink.OfType(EventTypes.LoopLimitExceeded).Single();
        limit.Data["visit_count"].Should().Be(4);
        limit.Data["max"].Should().Be(3);
        h.Sink.OfType(EventTypes.WorkflowFinished).Single().Data.GetString("reason").Should().Be("loop_limit");
        h.Sink.OfType(EventTypes.RunSkillCompleted).Single().Data.GetString("status").Should().Be("loop_limit");
    }

    [Fact]
    public async Task RunSkillAsync_DefaultVisitLimitFromOptions_Applies()
    {
        await using var h = new RuntimeHarness(o => o.Loop.MaxVisits = 2);
        var skill = Skill.Create("loop").Phase("again", _ => Task.FromResult(PhaseResult.Next("again"))).Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.LoopLimitExceeded);
        result.Phases.Should().HaveCount(2);
    }

    [Fact]
    public async Task RunSkillAsync_PhaseThrows_PhaseFailedAndRunFailedWithoutException()
    {
        await using var h = new RuntimeHarness();
        var skill = Skill.Create("boom").Phase("a", _ => throw new InvalidDataException("bad data")).Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.Failed);
        result.Error.Should().Contain("InvalidDataException: bad data");
        h.Sink.OfType(EventTypes.PhaseFailed).Single().Data.GetString("error").Should().Contain("bad data");
        h.Sink.OfType(EventTypes.SkillRunInterrupted).Single().Data["will_resume"].Should().Be(true);
        h.Sink.OfType(EventTypes.RunSkillCompleted).Single().Data.GetString("status").Should().Be("failed");
    }

    [Fact]
    public async Task RunSkillAsync_NextToUnknownPhase_FailsNamingThePhases()
    {
        await using var h = new RuntimeHarness();
        var skill = Skill.Create("typo").Phase("a", _ => Task.FromResult(PhaseResult.Next("b"))).Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.Failed);
        result.Error.Should().Contain("Next(\"b\")").And.Contain("phases: a");
    }

    [Fact]
    public async Task RunSkillAsync_Abort_StatusAborted()
    {
        await using var h = new RuntimeHarness();
        var skill = Skill.Create("stop").Phase("a", _ => Task.FromResult(PhaseResult.Abort("nothing to do"))).Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.Aborted);
        result.Error.Should().Be("nothing to do");
    }

    [Fact]
    public async Task RunSkillAsync_PhaseOverTimeBudget_PhaseBudgetExceeded()
    {
        var clock = new ManualTimeProvider();
        await using var h = new RuntimeHarness(time: clock);
        var skill = Skill.Create("slow")
            .Phase("a", _ =>
            {
                clock.Advance(TimeSpan.FromSeconds(90));
                return Task.FromResult(PhaseResult.Finish());
            }, budget: new PhaseBudget { MaxDuration = TimeSpan.FromSeconds(60) })
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.BudgetExceeded);
        var exceeded = h.Sink.OfType(EventTypes.PhaseBudgetExceeded).Single();
        exceeded.Data.GetString("budget_kind").Should().Be("max_duration");
        exceeded.Data.GetString("phase").Should().Be("a");
    }

    [Fact]
    public async Task RunSkillAsync_TimeBudgetCancelsWaitingPhase_PhaseBudgetExceeded()
    {
        var clock = new ManualTimeProvider();
        await using var h = new RuntimeHarness(time: clock);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var skill = Skill.Create("stuck")
            .Phase("a", async ctx =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
                return PhaseResult.Finish();
            }, budget: new PhaseBudget { MaxDuration = TimeSpan.FromSeconds(5) })
            .Build();

        var run = h.Runtime.RunSkillAsync(skill);
        await entered.Task;
        clock.Advance(TimeSpan.FromSeconds(6));
        var result = await run;

        result.Status.Should().Be(SkillRunStatus.BudgetExceeded);
        h.Sink.OfType(EventTypes.PhaseBudgetExceeded).Should().ContainSingle();
    }

    [Fact]
    public async Task RunSkillAsync_MoreLlmCallsThanBudget_BudgetExceeded()
    {
        await using var h = new RuntimeHarness(o => o.Budget.MaxLlmCallsPerPhase = 2);
        var skill = RuntimeHarness.OnePhase(async ctx =>
        {
            for (var i = 0; i < 5; i++)
            {
                await ctx.AskTextAsync("hello " + i);
            }

            return null;
        });

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.BudgetExceeded);
        h.Chat.Calls.Should().HaveCount(2);
        h.Sink.OfType(EventTypes.PhaseBudgetExceeded).Single().Data.GetString("budget_kind").Should().Be("max_llm_calls");
    }

    [Fact]
    public async Task RunSkillAsync_Cancelled_ThrowsAndEmitsInterrupted()
    {
        await using var h = new RuntimeHarness();
        using var cts = new CancellationTokenSource();
        var skill = RuntimeHarness.OnePhase(async ctx =>
        {
            await cts.CancelAsync();
            ctx.CancellationToken.ThrowIfCancellationRequested();
            return null;
        });

        var act = () => h.Runtime.RunSkillAsync(skill, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        h.Sink.OfType(EventTypes.SkillRunInterrupted).Should().ContainSingle();
        h.Sink.OfType(EventTypes.RunSkillCompleted).Single().Data.GetString("status").Should().Be("cancelled");
    }

    [Fact]
    public async Task RunSkillAsync_ByRegisteredName_Runs_UnknownName_ThrowsListingSkills()
    {
        await using var h = new RuntimeHarness(services: s => s.AddReynSkill(RuntimeHarness.OnePhase(_ => Task.FromResult<object?>(1), name: "known")));

        (await h.Runtime.RunSkillAsync("known")).Succeeded.Should().BeTrue();
        var act = () => h.Runtime.RunSkillAsync("unknown");
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*No skill named 'unknown'*known*");
    }
}
