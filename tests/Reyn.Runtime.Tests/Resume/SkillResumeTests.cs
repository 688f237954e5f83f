using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;
using Reyn.State;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Resume;

/// <summary>Restore, fast-forward, memo and the resume policies, in process: a "crash" is a run that throws or is cancelled, a "restart" a new container on the same directory.</summary>
public sealed class SkillResumeTests
{
    [Fact]
    public async Task RestoreAsync_RunFailedMidPhase_SkipsCompletedPhasesAndServesCommittedStepsFromWal()
    {
        using var dir = new TempDirectory("reyn-resume");
        var effect = new CountingOp();
        var phaseA = 0;
        var crash = true;
        var skill = Skill.Create("two").Permissions(p => p.AllowOps("effect"))
            .Phase("a", async ctx =>
            {
                phaseA++;
                await ctx.CallOpAsync("effect", new { tag = "a0" });
                return PhaseResult.Next("b", new { from = "a" });
            })
            .Phase("b", async ctx =>
            {
                await ctx.CallOpAsync("effect", new { tag = "b0" });
                var answer = await ctx.AskTextAsync("question");
                if (crash)
                {
                    throw new IOException("disk went away");
                }

                await ctx.CallOpAsync("effect", new { tag = "b1" });
                return PhaseResult.Finish(new { answer, input = ctx.Input.ToString() });
            })
            .Build();

        var chat = new FakeChatClient();
        string runId;
        await using (var first = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect), chat: chat))
        {
            var failed = await first.Runtime.RunSkillAsync("two");
            failed.Status.Should().Be(SkillRunStatus.Failed);
            runId = failed.RunId;
            first.Sink.OfType(EventTypes.SkillRunInterrupted).Single().Data["will_resume"].Should().Be(true);
            File.Exists(Path.Combine(first.SkillRunsDirectory, runId + ".snapshot.json")).Should().BeTrue("an interrupted run keeps its snapshot");
        }

        crash = false;
        await using var second = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect), chat: chat);
        var restore = await second.Runtime.RestoreAsync();

        var run = restore.Runs.Should().ContainSingle().Subject;
        run.RunId.Should().Be(runId);
        run.Decision.Action.Should().Be(ResumeActions.Resume);
        run.Phase.Should().Be("b");
        run.MemoizedSteps.Should().Be(2, "b0 and the model call were committed");
        run.Result!.Status.Should().Be(SkillRunStatus.Succeeded, run.Result.Error);
        run.Result.Output.Json!.Value.GetProperty("input").GetString().Should().Be("""{"from":"a"}""", "the last phase artifact is the resumed phase's input");
        phaseA.Should().Be(1, "completed phases are not re-executed");
        effect.Calls.Should().Be(3, "a0, b0 once each, then b1");
        chat.Calls.Should().HaveCount(1, "the model call was served from the WAL");
        second.Sink.OfType(EventTypes.StepMemoized).Select(e => e.Data["op_invocation_id"]).Should().Equal("b.effect.0", "b.llm.0");
        second.Sink.OfType(EventTypes.SkillRunResumed).Single().Data["action"].Should().Be("resume");
        second.Sink.OfType(EventTypes.SkillResumed).Single().Data["resume_phase"].Should().Be("b");
        File.Exists(Path.Combine(second.SkillRunsDirectory, runId + ".snapshot.json")).Should().BeFalse("a normal finish deletes the snapshot");

        second.Sink.OfType(EventTypes.ToolCalled).Select(e => e.Data["op_invocation_id"]).Should().Equal(["b.effect.1"], "a memoized step neither runs nor writes step records");
    }

    [Fact]
    public async Task RestoreAsync_WorldOpBeforeCrash_RunsAgainWhileSideEffectIsMemoized()
    {
        using var dir = new TempDirectory("reyn-resume");
        var effect = new CountingOp();
        var world = new CountingOp("look", OpPurity.World);
        var crash = true;
        var skill = Skill.Create("w").Permissions(p => p.AllowOps("effect", "look"))
            .Phase("only", async ctx =>
            {
                await ctx.CallOpAsync("look", new { tag = "w" });
                await ctx.CallOpAsync("effect", new { tag = "e" });
                return crash ? throw new InvalidOperationException("crash") : PhaseResult.Finish();
            })
            .Build();
        await using (var first = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect).AddSingleton<IOp>(world)))
        {
            (await first.Runtime.RunSkillAsync("w")).Status.Should().Be(SkillRunStatus.Failed);
        }

        crash = false;
        await using var second = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect).AddSingleton<IOp>(world));
        var run = (await second.Runtime.RestoreAsync()).Runs.Single();

        run.Result!.Succeeded.Should().BeTrue();
        world.Calls.Should().Be(2, "world-purity ops are re-executed on resume");
        effect.Calls.Should().Be(1, "side effects are served from the WAL");
    }

    [Fact]
    public async Task RestoreAsync_CrashInLoopedPhase_RestoresVisitCountsSoLoopLimitCountsCorrectly()
    {
        using var dir = new TempDirectory("reyn-resume");
        var crash = true;
        var seen = new List<int>();
        var skill = Skill.Create("loop")
            .Phase("spin", ctx =>
            {
                seen.Add(ctx.VisitCount);
                if (ctx.VisitCount == 2 && crash)
                {
                    throw new InvalidOperationException("crash on visit 2");
                }

                return Task.FromResult(PhaseResult.Next("spin", ctx.VisitCount));
            }, maxVisits: 3)
            .Build();
        await using (var first = new ResumeHost(dir.Path, skill))
        {
            (await first.Runtime.RunSkillAsync("loop")).Status.Should().Be(SkillRunStatus.Failed);
        }

        crash = false;
        seen.Clear();
        await using var second = new ResumeHost(dir.Path, skill);
        var run = (await second.Runtime.RestoreAsync()).Runs.Single();

        seen.Should().Equal([2, 3], "the run re-enters visit 2 (not visit 1) and goes on to visit 3");
        run.Result!.Status.Should().Be(SkillRunStatus.LoopLimitExceeded, "visit 4 exceeds maxVisits 3 counted across the restart");
        run.Result.Phases.Should().Equal("spin", "spin", "spin");
    }

    [Theory]
    [InlineData("retry", ResumeActions.Retry, 2, false)]
    [InlineData("prompt", ResumeActions.Retry, 2, true)]
    [InlineData("bogus", ResumeActions.Retry, 2, true)]
    [InlineData("skip", ResumeActions.Skip, 1, false)]
    public async Task RestoreAsync_AmbiguousStep_PolicyDecidesWhetherTheOpRunsAgain(string policy, string action, int expectedCalls, bool warned)
    {
        using var dir = new TempDirectory("reyn-resume");
        var effect = new CountingOp();
        OpResult? secondCall = null;
        var skill = Skill.Create("amb").Permissions(p => p.AllowOps("effect"))
            .Phase("only", async ctx =>
            {
                await ctx.CallOpAsync("effect", new { tag = "first" });
                secondCall = await ctx.CallOpAsync("effect", new { tag = "second" });
                return PhaseResult.Finish();
            })
            .Build();

        await InterruptInsideOpAsync(dir.Path, skill, effect, "second");
        effect.Calls.Should().Be(1, "the second op died before doing anything");

        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect), o => o.SkillResume.PerSkill["amb"] = policy);
        var run = (await host.Runtime.RestoreAsync()).Runs.Single();

        run.Decision.Action.Should().Be(action);
        run.Decision.AmbiguousSteps.Should().ContainSingle().Which.OpInvocationId.Should().Be("only.effect.1");
        (run.Decision.Warning is not null).Should().Be(warned);
        run.Result!.Succeeded.Should().BeTrue();
        effect.Calls.Should().Be(expectedCalls);
        if (action == ResumeActions.Skip)
        {
            secondCall!.IsOk.Should().BeTrue();
            secondCall.Data.Should().BeNull("the skipped step is served as {\"status\":\"skipped\"}, not run");
        }
    }

    [Fact]
    public async Task RestoreAsync_DiscardSkillPolicy_AbortsRunRecordsSkillDiscardedAndDeletesSnapshot()
    {
        using var dir = new TempDirectory("reyn-resume");
        var effect = new CountingOp();
        var entered = 0;
        var skill = Skill.Create("blog").Permissions(p => p.AllowOps("effect"))
            .Phase("only", async ctx =>
            {
                entered++;
                await ctx.CallOpAsync("effect", new { tag = "publish" });
                return PhaseResult.Finish();
            })
            .Build();
        await InterruptInsideOpAsync(dir.Path, skill, effect, "publish");

        await using var host = new ResumeHost(dir.Path, skill, s => s.AddSingleton<IOp>(effect), o => o.SkillResume.PerSkill["blog"] = "discard_skill");
        var run = (await host.Runtime.RestoreAsync()).Runs.Single();

        run.Decision.Action.Should().Be(ResumeActions.DiscardSkill);
        run.Result.Should().BeNull();
        entered.Should().Be(1, "a discarded run is not re-entered");
        effect.Calls.Should().Be(0);
        host.Sink.OfType(EventTypes.SkillRunDiscarded).Should().ContainSingle();
        (await ReadWalAsync(dir.Path, run.RunId)).Should().Contain(r => r.Kind == WalKinds.SkillDiscarded, "the highest record survives truncation");
        Directory.GetFiles(host.SkillRunsDirectory, "*.snapshot.json").Should().BeEmpty();
        (await host.Runtime.RestoreAsync()).Runs.Should().BeEmpty("nothing is left in flight");
    }

    [Fact]
    public async Task RestoreAsync_LargeModelResult_IsServedFromItsReferenceFile()
    {
        using var dir = new TempDirectory("reyn-resume");
        var big = new string('x', 40 * 1024);
        var chat = new FakeChatClient { Responder = _ => big };
        var crash = true;
        string? answer = null;
        var skill = Skill.Create("big")
            .Phase("only", async ctx =>
            {
                answer = await ctx.AskTextAsync("write a lot");
                return crash ? throw new InvalidOperationException("crash") : PhaseResult.Finish();
            })
            .Build();
        string runId;
        await using (var first = new ResumeHost(dir.Path, skill, chat: chat))
        {
            runId = (await first.Runtime.RunSkillAsync("big")).RunId;
            Directory.GetFiles(Path.Combine(first.SkillRunsDirectory, runId + "_llm_results")).Should().ContainSingle();
        }

        crash = false;
        answer = null;
        await using var second = new ResumeHost(dir.Path, skill, chat: chat);
        var run = (await second.Runtime.RestoreAsync()).Runs.Single();

        run.Result!.Succeeded.Should().BeTrue();
        answer.Should().Be(big, "the WAL holds a {\"_ref\"} and the stored file is read back");
        chat.Calls.Should().HaveCount(1);
        second.Sink.OfType(EventTypes.StepMemoized).Should().ContainSingle();
    }

    [Fact]
    public async Task RestoreAsync_NoRestoreAndReset_LeaveStateOrWipeIt()
    {
        using var dir = new TempDirectory("reyn-resume");
        var skill = Skill.Create("s").Phase("only", _ => throw new InvalidOperationException("crash")).Build();
        await using (var first = new ResumeHost(dir.Path, skill))
        {
            await first.Runtime.RunSkillAsync("s");
        }

        await using var host = new ResumeHost(dir.Path, skill);
        var skipped = await host.Runtime.RestoreAsync(new RestoreOptions { NoRestore = true });
        skipped.Skipped.Should().BeTrue();
        Directory.GetFiles(host.SkillRunsDirectory, "*.snapshot.json").Should().ContainSingle("--no-restore keeps the state on disk");

        var reset = await host.Runtime.RestoreAsync(new RestoreOptions { ResetInFlightState = true });
        reset.Runs.Single().Decision.Action.Should().Be(ResumeActions.DiscardSkill);
        Directory.GetFiles(host.SkillRunsDirectory, "*.snapshot.json").Should().BeEmpty();
        Directory.GetFiles(Path.Combine(host.Root, "events"), "*.jsonl", SearchOption.AllDirectories).Should().NotBeEmpty("events are kept");
    }

    [Fact]
    public async Task RestoreAsync_SnapshotOfAnotherSchemaVersion_StopsWithStateMessage()
    {
        using var dir = new TempDirectory("reyn-resume");
        var skill = Skill.Create("s").Phase("only", _ => Task.FromResult(PhaseResult.Finish())).Build();
        await using var host = new ResumeHost(dir.Path, skill);
        Directory.CreateDirectory(host.SkillRunsDirectory);
        File.WriteAllText(Path.Combine(host.SkillRunsDirectory, "r1.snapshot.json"), """{"version": 99, "run_id": "r1"}""");

        var act = () => host.Runtime.RestoreAsync();

        (await act.Should().ThrowAsync<StateSchemaVersionException>()).Which.Message.Should().Contain("reyn state reset");
    }

    [Fact]
    public void Decide_NoAmbiguity_ResumesWhateverThePolicy()
    {
        var plan = new ResumePlan { RunId = "r" };
        SkillResumeCoordinator.Decide(plan, "discard_skill").Action.Should().Be(ResumeActions.Resume);
    }

    private static async Task InterruptInsideOpAsync(string directory, SkillDefinition skill, CountingOp effect, string tag)
    {
        await using var host = new ResumeHost(directory, skill, s => s.AddSingleton<IOp>(effect));
        using var cts = new CancellationTokenSource();
        effect.CancelOn = (tag, cts);
        var act = () => host.Runtime.RunSkillAsync(skill.Name, cancellationToken: cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        host.Sink.OfType(EventTypes.SkillRunInterrupted).Should().ContainSingle();
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
