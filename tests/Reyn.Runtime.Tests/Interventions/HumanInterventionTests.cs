using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Resume.Internal;
using Reyn.Runtime.Tests.Support;
using Reyn.State;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Interventions;

/// <summary>
/// A phase asks a person (<see cref="PhaseContext.AskHumanAsync"/>) and the host answers through
/// <see cref="ReynRuntime.ResolveInterventionAsync"/>: live, across a restart (wait again / buffered answer), under the
/// WAL truncation floor, and when the run is discarded. A "restart" is a new container on the same directory.
/// </summary>
public sealed class HumanInterventionTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30); // a hang fails the test instead of blocking the suite

    [Fact]
    public async Task AskHumanAsync_HostAnswers_PhaseContinuesWithTheAnswerAndBothEndsAreDurable()
    {
        using var dir = new TempDirectory("reyn-iv");
        var skill = Skill.Create("deploy")
            .Phase("confirm", async ctx =>
            {
                var answer = await ctx.AskHumanAsync("Deploy now?", ["yes", "no"]);
                return PhaseResult.Next("done", new { answer.ChoiceId, answer.Text });
            })
            .Phase("done", ctx => Task.FromResult(PhaseResult.Finish(ctx.Input.Json)))
            .Build();
        await using var host = new ResumeHost(dir.Path, skill);
        var asked = host.Sink.WaitForAsync(EventTypes.UserInterventionRequested);

        var running = host.Runtime.RunSkillAsync("deploy");
        var requested = await asked.WaitAsync(Guard);
        var id = requested.Data.GetString("intervention_id")!;
        requested.Data["question"].Should().Be("Deploy now?");
        requested.RunId.Should().NotBeNull();
        var runId = requested.RunId!;

        var pending = (await host.Runtime.GetPendingInterventionsAsync()).Should().ContainSingle().Subject;
        pending.InterventionId.Should().Be(id);
        pending.RunId.Should().Be(runId);
        pending.Skill.Should().Be("deploy");
        pending.Phase.Should().Be("confirm");
        pending.Question.Should().Be("Deploy now?");
        pending.Choices.Should().Equal("yes", "no");
        pending.RunIsWaiting.Should().BeTrue();
        var store = new FileSnapshotStore(new StatePaths(host.Root));
        (await store.LoadSkillRunAsync("main", runId, EmptyStateLog.Instance)).Snapshot.AwaitingInterventionId.Should().Be(id, "the run snapshot on disk names the awaited intervention");
        (await store.LoadAgentAsync("main", EmptyStateLog.Instance)).Snapshot.OutstandingInterventions.Should().ContainKey(id, "the agent snapshot on disk is updated");
        running.IsCompleted.Should().BeFalse("the phase waits for the answer");

        (await host.Runtime.ResolveInterventionAsync(id, "ship it", "yes")).Should().Be(InterventionDelivery.Delivered);
        var result = await running.WaitAsync(Guard);

        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        result.Output.Json!.Value.GetProperty("choice_id").GetString().Should().Be("yes");
        result.Output.Json!.Value.GetProperty("text").GetString().Should().Be("ship it");
        var wal = await ReadWalAsync(dir.Path, runId);
        var dispatched = wal.Should().ContainSingle(r => r.Kind == WalKinds.InterventionDispatched).Subject;
        dispatched.GetString("intervention_id").Should().Be(id);
        dispatched.GetString("agent").Should().Be("main");
        dispatched.GetString("question").Should().Be("Deploy now?");
        dispatched.GetString("op_invocation_id").Should().Be("confirm.ask_human.0");
        var resolved = wal.Should().ContainSingle(r => r.Kind == WalKinds.InterventionResolved).Subject;
        resolved.GetString("choice_id").Should().Be("yes");
        resolved.Seq.Should().BeGreaterThan(dispatched.Seq);
        var received = host.Sink.OfType(EventTypes.UserInterventionReceived).Should().ContainSingle().Subject;
        received.Data["intervention_id"].Should().Be(id);
        foreach (var evt in new[] { requested, received })
        {
            EventCatalog.MissingRequiredFields(evt).Should().BeEmpty($"{evt.Type} carries run_id, skill and intervention_id");
            evt.Data["skill"].Should().Be("deploy");
        }

        (await host.Runtime.GetPendingInterventionsAsync()).Should().BeEmpty();
        (await store.LoadAgentAsync("main", EmptyStateLog.Instance)).Snapshot.OutstandingInterventions.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveInterventionAsync_UnknownIdBadChoiceOrEmptyAnswer_ThrowsClearErrorAndRecordsNothing()
    {
        using var dir = new TempDirectory("reyn-iv");
        var skill = Skill.Create("pick")
            .Phase("only", async ctx => PhaseResult.Finish((await ctx.AskHumanAsync("Which?", ["a", "b"])).ChoiceId))
            .Build();
        await using var host = new ResumeHost(dir.Path, skill);
        var asked = host.Sink.WaitForAsync(EventTypes.UserInterventionRequested);
        var running = host.Runtime.RunSkillAsync("pick");
        var id = (await asked.WaitAsync(Guard)).Data.GetString("intervention_id")!;
        var log = host.Runtime.Services.GetRequiredService<IStateLog>();
        var before = ((FileStateLog)log).LastDurableSeq;

        var unknown = () => host.Runtime.ResolveInterventionAsync("iv_nope", "yes");
        (await unknown.Should().ThrowAsync<InterventionNotFoundException>())
            .WithMessage($"*'iv_nope'*Outstanding: {id}*GetPendingInterventionsAsync*")
            .Which.InterventionId.Should().Be("iv_nope");
        var badChoice = () => host.Runtime.ResolveInterventionAsync(id, null, "c");
        await badChoice.Should().ThrowAsync<ArgumentException>().WithMessage("*'c' is not a choice*a, b*");
        var empty = () => host.Runtime.ResolveInterventionAsync(id, null, null);
        await empty.Should().ThrowAsync<ArgumentException>().WithMessage("*empty*text, a choice id*");
        ((FileStateLog)log).LastDurableSeq.Should().Be(before, "a refused answer records nothing");
        running.IsCompleted.Should().BeFalse("a refused answer does not release the phase");

        (await host.Runtime.ResolveInterventionAsync(id, null, "b")).Should().Be(InterventionDelivery.Delivered);
        (await running.WaitAsync(Guard)).Output.Json!.Value.GetString().Should().Be("b");
        var again = () => host.Runtime.ResolveInterventionAsync(id, null, "a");
        await again.Should().ThrowAsync<InterventionNotFoundException>("an answered intervention is no longer outstanding");
    }

    [Fact]
    public async Task AskHumanAsync_WaitOfFiveMinutes_NoLongerHoldsTheTruncationFloorAndTheRunStillFinishes()
    {
        using var dir = new TempDirectory("reyn-iv");
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var effect = new CountingOp();
        var skill = Skill.Create("approve").Permissions(p => p.AllowOps("effect"))
            .Phase("prepare", async ctx =>
            {
                await ctx.CallOpAsync("effect", new { tag = "draft" });
                return PhaseResult.Next("ask", "draft");
            })
            .Phase("ask", async ctx => PhaseResult.Finish((await ctx.AskHumanAsync("Approve the draft?")).Text))
            .Build();
        var other = Skill.Create("other").Phase("only", _ => Task.FromResult(PhaseResult.Finish())).Build();
        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<TimeProvider>(time).AddSingleton<IOp>(effect).AddReynSkill(other));
        var policy = host.Runtime.Truncation!;
        var log = (FileStateLog)host.Runtime.Services.GetRequiredService<IStateLog>();
        var asked = host.Sink.WaitForAsync(EventTypes.UserInterventionRequested);

        var running = host.Runtime.RunSkillAsync("approve");
        var requested = await asked.WaitAsync(Guard);
        var runId = requested.RunId!;
        var advanced = (await ReadWalAsync(dir.Path, runId)).Single(r => r.Kind == WalKinds.SkillPhaseAdvanced).Seq;
        policy.Floor(log.LastDurableSeq).Should().Be(advanced + 1, "a run that just started waiting holds the floor at its watermark");

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        policy.Floor(log.LastDurableSeq).Should().Be(advanced + 1, "4 min 59 s is not long enough");
        time.Advance(TimeSpan.FromSeconds(1));
        policy.Floor(log.LastDurableSeq).Should().Be(log.LastDurableSeq + 1, "after 5 minutes of waiting the run no longer holds the floor");

        (await host.Runtime.RunSkillAsync("other")).Succeeded.Should().BeTrue(); // its end truncates (the 5 s interval has passed)
        policy.Truncations.Should().Be(1);
        var kept = await ReadWalAsync(dir.Path, runId);
        kept.Should().NotContain(r => r.Kind == WalKinds.SkillPhaseAdvanced || r.Kind == WalKinds.StepCompleted, "the waiting run's records below the floor are gone");
        kept.Should().ContainSingle(r => r.Kind == WalKinds.InterventionDispatched, "intervention records are always kept");

        (await host.Runtime.ResolveInterventionAsync(requested.Data.GetString("intervention_id")!, "approved")).Should().Be(InterventionDelivery.Delivered);
        var result = await running.WaitAsync(Guard);
        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        result.Output.Json!.Value.GetString().Should().Be("approved");
        effect.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RestoreAsync_RunWasWaiting_WaitsAgainForTheSameInterventionWithoutAskingAgain()
    {
        using var dir = new TempDirectory("reyn-iv");
        var effect = new CountingOp();
        var skill = ApprovalSkill();
        var (runId, id) = await InterruptWhileWaitingAsync(dir.Path, skill, effect);
        effect.Calls.Should().Be(1);

        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect));
        var restore = await host.Runtime.RestoreAsync().WaitAsync(Guard);

        var run = restore.Runs.Should().ContainSingle().Subject;
        run.RunId.Should().Be(runId);
        run.AwaitingInterventionId.Should().Be(id, "the resumed run waits for the intervention it asked before the restart");
        run.Result.Should().BeNull("restore does not wait for a person");
        run.Completion!.IsCompleted.Should().BeFalse();
        run.MemoizedSteps.Should().Be(1, "the op before the question is served from the WAL");
        host.Sink.OfType(EventTypes.UserInterventionRequested).Should().BeEmpty("nothing is asked again");
        (await ReadWalAsync(dir.Path, runId)).Count(r => r.Kind == WalKinds.InterventionDispatched).Should().Be(1);
        (await host.Runtime.GetPendingInterventionsAsync()).Should().ContainSingle().Which.RunIsWaiting.Should().BeTrue();

        (await host.Runtime.ResolveInterventionAsync(id, "go")).Should().Be(InterventionDelivery.Delivered);
        var result = await run.Completion.WaitAsync(Guard);

        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        result.Output.Json!.Value.GetString().Should().Be("go");
        effect.Calls.Should().Be(2, "'before' once (memoized on resume), then 'after'");
        (await host.Runtime.GetPendingInterventionsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task RestoreAsync_AnswerGivenBeforeResume_IsBufferedDurablyAndConsumedByTheResumedRun()
    {
        using var dir = new TempDirectory("reyn-iv");
        var effect = new CountingOp();
        var skill = ApprovalSkill();
        var (runId, id) = await InterruptWhileWaitingAsync(dir.Path, skill, effect);

        await using (var restarted = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect)))
        {
            var pending = (await restarted.Runtime.GetPendingInterventionsAsync()).Should().ContainSingle().Subject;
            pending.InterventionId.Should().Be(id);
            pending.RunIsWaiting.Should().BeFalse("nothing was restored yet");
            (await restarted.Runtime.ResolveInterventionAsync(id, "later")).Should().Be(InterventionDelivery.Buffered);
            (await restarted.Runtime.GetPendingInterventionsAsync()).Single().HasBufferedAnswer.Should().BeTrue();
            var twice = () => restarted.Runtime.ResolveInterventionAsync(id, "again");
            await twice.Should().ThrowAsync<InvalidOperationException>().WithMessage("*already has a buffered answer*");
        }

        // Another restart: the buffered answer survived it and the resumed run consumes it instead of waiting.
        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect));
        var run = (await host.Runtime.RestoreAsync().WaitAsync(Guard)).Runs.Single();

        run.AwaitingInterventionId.Should().BeNull();
        run.Result!.Status.Should().Be(SkillRunStatus.Succeeded, run.Result.Error);
        run.Result.Output.Json!.Value.GetString().Should().Be("later");
        host.Sink.OfType(EventTypes.UserInterventionRequested).Should().BeEmpty();
        var received = host.Sink.OfType(EventTypes.UserInterventionReceived).Should().ContainSingle().Subject;
        received.Data["via"].Should().Be("buffered");
        EventCatalog.MissingRequiredFields(received).Should().BeEmpty();
        var kinds = (await ReadWalAsync(dir.Path, runId)).Select(r => r.Kind).ToList();
        kinds.Should().ContainInOrder(WalKinds.InterventionDispatched, WalKinds.InterventionAnswerBuffered, WalKinds.InterventionAnswerConsumed, WalKinds.InterventionResolved, WalKinds.SkillCompleted);
        (await host.Runtime.GetPendingInterventionsAsync()).Should().BeEmpty();
        var agent = (await new FileSnapshotStore(new StatePaths(host.Root)).LoadAgentAsync("main", EmptyStateLog.Instance)).Snapshot;
        agent.BufferedAnswers.Should().BeEmpty();
        agent.OutstandingInterventions.Should().BeEmpty();
    }

    [Fact]
    public async Task RestoreAsync_AnsweredBeforeTheCrash_ReturnsTheRecordedAnswerWithoutAskingAgain()
    {
        using var dir = new TempDirectory("reyn-iv");
        var crash = true;
        var answers = new List<string?>();
        var skill = Skill.Create("once")
            .Phase("only", async ctx =>
            {
                var answer = await ctx.AskHumanAsync("Name?");
                answers.Add(answer.Text);
                return crash ? throw new InvalidOperationException("crash after the answer") : PhaseResult.Finish(answer.Text);
            })
            .Build();
        await using (var first = new ResumeHost(dir.Path, skill))
        {
            var asked = first.Sink.WaitForAsync(EventTypes.UserInterventionRequested);
            var running = first.Runtime.RunSkillAsync("once");
            await first.Runtime.ResolveInterventionAsync((await asked.WaitAsync(Guard)).Data.GetString("intervention_id")!, "Ada");
            (await running.WaitAsync(Guard)).Status.Should().Be(SkillRunStatus.Failed);
        }

        crash = false;
        await using var host = new ResumeHost(dir.Path, skill);
        var run = (await host.Runtime.RestoreAsync().WaitAsync(Guard)).Runs.Single();

        run.Result!.Status.Should().Be(SkillRunStatus.Succeeded, run.Result.Error);
        answers.Should().Equal("Ada", "Ada");
        host.Sink.OfType(EventTypes.UserInterventionRequested).Should().BeEmpty("the durable resolution is the answer");
    }

    [Fact]
    public async Task RestoreAsync_DiscardSkillWithOutstandingIntervention_DropsItAndItsBufferedAnswerDurably()
    {
        using var dir = new TempDirectory("reyn-iv");
        var effect = new CountingOp();
        string? id = null;
        TaskCompletionSource? dispatched = null;
        var skill = Skill.Create("blog").Permissions(p => p.AllowOps("effect"))
            .Phase("publish", async ctx =>
            {
                var question = ctx.AskHumanAsync("Tweet it too?"); // outstanding while the op below is in flight
                await dispatched!.Task;
                await ctx.CallOpAsync("effect", new { tag = "publish" });
                return PhaseResult.Finish((await question).Text);
            })
            .Build();
        await using (var first = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect)))
        {
            dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = first.Sink.WaitForAsync(EventTypes.UserInterventionRequested).ContinueWith(t =>
            {
                id = t.Result.Data.GetString("intervention_id");
                dispatched.SetResult();
            }, TaskScheduler.Default);
            using var cts = new CancellationTokenSource();
            effect.CancelOn = ("publish", cts); // the run dies inside the op: an ambiguous step
            var act = () => first.Runtime.RunSkillAsync("blog", cancellationToken: cts.Token);
            await act.Should().ThrowAsync<OperationCanceledException>();
        }

        id.Should().NotBeNull();
        await using (var second = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect), o => o.SkillResume.PerSkill["blog"] = "discard_skill"))
        {
            (await second.Runtime.ResolveInterventionAsync(id!, "yes")).Should().Be(InterventionDelivery.Buffered);
            var run = (await second.Runtime.RestoreAsync().WaitAsync(Guard)).Runs.Single();

            run.Decision.Action.Should().Be(ResumeActions.DiscardSkill);
            second.Sink.OfType(EventTypes.SkillRunDiscarded).Single().Data["dropped_interventions"].Should().Be(1);
            (await second.Runtime.GetPendingInterventionsAsync()).Should().BeEmpty("discarding the run drops its interventions");
            var late = () => second.Runtime.ResolveInterventionAsync(id!, "too late");
            await late.Should().ThrowAsync<InterventionNotFoundException>().WithMessage("*discarded*");
            var agent = (await new FileSnapshotStore(new StatePaths(second.Root)).LoadAgentAsync("main", EmptyStateLog.Instance)).Snapshot;
            agent.OutstandingInterventions.Should().BeEmpty("the persisted agent snapshot is updated");
            agent.BufferedAnswers.Should().BeEmpty("the run's buffered answer is dropped too");
        }

        // Rebuilding the agent snapshot from the WAL alone (the file lost) gives the same result.
        File.Delete(new StatePaths(Path.Combine(dir.Path, ".reyn")).AgentSnapshot("main"));
        await using var third = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect));
        (await third.Runtime.GetPendingInterventionsAsync()).Should().BeEmpty();
        effect.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Floor_RunLeftWaitingOnDiskByEarlierProcess_KeepsItsWaitTimeAndStopsHoldingTheFloorAfterFiveMinutes()
    {
        using var dir = new TempDirectory("reyn-iv");
        var start = DateTimeOffset.UtcNow;
        var effect = new CountingOp();
        var skill = ApprovalSkill();
        await InterruptWhileWaitingAsync(dir.Path, skill, effect, new ManualTimeProvider(start));

        var later = new ManualTimeProvider(start + TimeSpan.FromMinutes(4));
        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<TimeProvider>(later).AddSingleton<IOp>(effect));
        (await host.Runtime.RestoreAsync(new RestoreOptions { NoRestore = true })).Skipped.Should().BeTrue();
        var log = (FileStateLog)host.Runtime.Services.GetRequiredService<IStateLog>();

        host.Runtime.Truncation!.Floor(log.LastDurableSeq).Should().BeLessThanOrEqualTo(log.LastDurableSeq, "4 minutes after the question the run still holds the floor");
        later.Advance(TimeSpan.FromMinutes(1));
        host.Runtime.Truncation.Floor(log.LastDurableSeq).Should().Be(log.LastDurableSeq + 1, "the wait counts from the dispatch in the earlier process");
    }

    [Fact]
    public async Task AskHumanAsync_WithoutWal_WorksInMemory()
    {
        await using var h = new RuntimeHarness(o => o.WalDurability = null);
        var asked = h.Sink.WaitForAsync(EventTypes.UserInterventionRequested);
        var running = h.Runtime.RunSkillAsync(Skill.Create("nowal").Phase("only", async ctx => PhaseResult.Finish((await ctx.AskHumanAsync("Ok?")).Text)).Build());
        var id = (await asked.WaitAsync(Guard)).Data.GetString("intervention_id")!;

        (await h.Runtime.GetPendingInterventionsAsync()).Single().InterventionId.Should().Be(id);
        (await h.Runtime.ResolveInterventionAsync(id, "fine")).Should().Be(InterventionDelivery.Delivered);
        (await running.WaitAsync(Guard)).Output.Json!.Value.GetString().Should().Be("fine");
        File.Exists(h.Directory.Combine(".reyn", "state", "wal.jsonl")).Should().BeFalse();
    }

    [Fact]
    public async Task RestoreAsync_AgentSnapshotSavedAfterARunStartWhoseSnapshotIsMissing_StillRebuildsAndResumesTheRun()
    {
        using var dir = new TempDirectory("reyn-iv");
        var crash = true;
        var skill = Skill.Create("late")
            .Phase("only", async ctx =>
            {
                var answer = await ctx.AskHumanAsync("Continue?");
                return crash ? throw new InvalidOperationException("crash") : PhaseResult.Finish(answer.Text);
            })
            .Build();
        string runId;
        await using (var first = new ResumeHost(dir.Path, skill))
        {
            var asked = first.Sink.WaitForAsync(EventTypes.UserInterventionRequested);
            var running = first.Runtime.RunSkillAsync("late");
            await first.Runtime.ResolveInterventionAsync((await asked.WaitAsync(Guard)).Data.GetString("intervention_id")!, "yes"); // saves the agent snapshot
            runId = (await running.WaitAsync(Guard)).RunId;
        }

        var paths = new StatePaths(Path.Combine(dir.Path, ".reyn"));
        File.Exists(paths.AgentSnapshot("main")).Should().BeTrue();
        File.Delete(paths.SkillRunSnapshot("main", runId)); // as if the process died between skill_started and the snapshot save
        crash = false;
        await using var host = new ResumeHost(dir.Path, skill);
        var run = (await host.Runtime.RestoreAsync().WaitAsync(Guard)).Runs.Should().ContainSingle("the agent snapshot's applied seq must not hide the run's skill_started").Subject;

        run.RunId.Should().Be(runId);
        run.Result!.Output.Json!.Value.GetString().Should().Be("yes");
    }

    private static SkillDefinition ApprovalSkill() =>
        Skill.Create("approval").Permissions(p => p.AllowOps("effect"))
            .Phase("ask", async ctx =>
            {
                await ctx.CallOpAsync("effect", new { tag = "before" });
                var answer = await ctx.AskHumanAsync("Go ahead?");
                await ctx.CallOpAsync("effect", new { tag = "after" });
                return PhaseResult.Finish(answer.Text);
            })
            .Build();

    /// <summary>Runs the skill until it waits for a person, then stops the process (cancel + dispose): the run stays resumable.</summary>
    private static async Task<(string RunId, string InterventionId)> InterruptWhileWaitingAsync(string directory, SkillDefinition skill, CountingOp effect, TimeProvider? time = null)
    {
        await using var host = new ResumeHost(directory, skill, s =>
        {
            s.AddSingleton<IOp>(effect);
            if (time is not null)
            {
                s.AddSingleton(time);
            }
        });
        var asked = host.Sink.WaitForAsync(EventTypes.UserInterventionRequested);
        using var cts = new CancellationTokenSource();
        var running = host.Runtime.RunSkillAsync(skill.Name, cancellationToken: cts.Token);
        var requested = await asked.WaitAsync(Guard);
        await cts.CancelAsync();
        var act = () => running;
        await act.Should().ThrowAsync<OperationCanceledException>();
        host.Sink.OfType(EventTypes.SkillRunInterrupted).Single().Data["will_resume"].Should().Be(true);
        return (requested.RunId!, requested.Data.GetString("intervention_id")!);
    }

    private static async Task<List<WalRecord>> ReadWalAsync(string directory, string runId)
    {
        var list = new List<WalRecord>();
        await foreach (var record in WalFileReader.ReadAsync(Path.Combine(directory, ".reyn", "state", "wal.jsonl")))
        {
            if (record.GetString("run_id") == runId)
            {
                list.Add(record);
            }
        }

        return list;
    }
}
